variable "vpc_id" {
  type = string
}

variable "cidr" {
  type = string
}

resource "aws_subnet" "this" {
  vpc_id                  = var.vpc_id
  cidr_block              = var.cidr
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

output "subnet_id" {
  value = aws_subnet.this.id
}

output "vpc_id" {
  value = var.vpc_id
}

output "cidr_block" {
  value = aws_subnet.this.cidr_block
}
