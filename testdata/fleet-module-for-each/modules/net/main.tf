variable "cidr" {
  type = string
}

variable "vpc_id" {
  type = string
}

resource "aws_subnet" "public" {
  vpc_id                  = var.vpc_id
  cidr_block              = cidrsubnet(var.cidr, 8, 0)
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  vpc_id            = var.vpc_id
  cidr_block        = cidrsubnet(var.cidr, 8, 1)
  availability_zone = "us-east-1a"
}

output "public_subnet_id" {
  value = aws_subnet.public.id
}

output "private_subnet_id" {
  value = aws_subnet.private.id
}
