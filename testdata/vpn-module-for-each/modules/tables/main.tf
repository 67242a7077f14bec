variable "vpc_id" {
  type = string
}

variable "cidr" {
  type = string
}

resource "aws_subnet" "private" {
  vpc_id            = var.vpc_id
  cidr_block        = var.cidr
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "private" {
  vpc_id = var.vpc_id
}

resource "aws_route_table" "spare" {
  vpc_id = var.vpc_id
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

output "private_route_table_id" {
  value = aws_route_table.private.id
}

output "spare_route_table_id" {
  value = aws_route_table.spare.id
}
