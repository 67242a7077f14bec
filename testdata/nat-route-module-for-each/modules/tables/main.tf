variable "vpc_id" {
  type = string
}

variable "igw_id" {
  type = string
}

variable "ipv4_cidr" {
  type = string
}

variable "ipv6_cidr" {
  type = string
}

# The app tier: IPv6 straight to the internet gateway (the mistake), IPv4 through the NAT
# gateway a route outside the module adds.
resource "aws_subnet" "app" {
  vpc_id            = var.vpc_id
  cidr_block        = var.ipv4_cidr
  ipv6_cidr_block   = var.ipv6_cidr
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "app" {
  vpc_id = var.vpc_id

  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = var.igw_id
  }
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

resource "aws_route_table" "spare" {
  vpc_id = var.vpc_id
}

output "app_route_table_id" {
  value = aws_route_table.app.id
}

output "spare_route_table_id" {
  value = aws_route_table.spare.id
}
