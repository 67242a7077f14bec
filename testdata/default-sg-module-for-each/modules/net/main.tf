variable "cidr" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}

resource "aws_vpc" "shared" {
  cidr_block = "172.16.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 8, 0)
  availability_zone = "us-east-1a"
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "shared_vpc_id" {
  value = aws_vpc.shared.id
}
