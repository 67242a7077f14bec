variable "cidr" {
  type = string
}

# The VPC, and a spare one.
resource "aws_vpc" "this" {
  cidr_block = var.cidr
}

resource "aws_vpc" "spare" {
  cidr_block = "10.200.0.0/16"
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "spare_vpc_id" {
  value = aws_vpc.spare.id
}
