variable "vpc_id" {
  type = string
}

variable "cidr" {
  type = string
}

resource "aws_subnet" "this" {
  vpc_id            = var.vpc_id
  cidr_block        = cidrsubnet(var.cidr, 1, 0)
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "spare" {
  vpc_id            = var.vpc_id
  cidr_block        = cidrsubnet(var.cidr, 1, 1)
  availability_zone = "us-east-1b"
}

output "subnet_id" {
  value = aws_subnet.this.id
}

output "spare_subnet_id" {
  value = aws_subnet.spare.id
}
