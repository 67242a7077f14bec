variable "vpc_id" {
  type = string
}

variable "cidrs" {
  type = list(string)
}

# Two private subnets: where the endpoint's network interfaces go.
resource "aws_subnet" "app" {
  vpc_id            = var.vpc_id
  cidr_block        = var.cidrs[0]
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "spare" {
  vpc_id            = var.vpc_id
  cidr_block        = var.cidrs[1]
  availability_zone = "us-east-1b"
}

output "app_subnet_id" {
  value = aws_subnet.app.id
}

output "spare_subnet_id" {
  value = aws_subnet.spare.id
}
