# Base: the shared network, applied by another stack (its state is set aside before the
# plan, see base/separate-state). Two public subnets routed to an internet gateway, two
# app subnets routed to a NAT gateway, and a NACL on the app subnets that admits only the
# VPC and replies.

resource "aws_vpc" "shared" {
  cidr_block = "10.30.0.0/16"
  tags       = { Name = "shared" }
}

resource "aws_internet_gateway" "shared" {
  vpc_id = aws_vpc.shared.id
}

resource "aws_subnet" "public" {
  for_each                = { a = "10.30.0.0/24", b = "10.30.1.0/24" }
  vpc_id                  = aws_vpc.shared.id
  cidr_block              = each.value
  availability_zone       = "us-east-1${each.key}"
  map_public_ip_on_launch = true
  tags                    = { Name = "public-${each.key}", Tier = "public" }
}

resource "aws_subnet" "app" {
  for_each          = { a = "10.30.10.0/24", b = "10.30.11.0/24" }
  vpc_id            = aws_vpc.shared.id
  cidr_block        = each.value
  availability_zone = "us-east-1${each.key}"
  tags              = { Name = "app-${each.key}", Tier = "app" }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.shared.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.shared.id
  }
  tags = { Name = "public" }
}

resource "aws_route_table_association" "public" {
  for_each       = aws_subnet.public
  subnet_id      = each.value.id
  route_table_id = aws_route_table.public.id
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "shared" {
  allocation_id = aws_eip.nat.id
  subnet_id     = aws_subnet.public["a"].id
  depends_on    = [aws_internet_gateway.shared]
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.shared.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.shared.id
  }
  tags = { Name = "app" }
}

resource "aws_route_table_association" "app" {
  for_each       = aws_subnet.app
  subnet_id      = each.value.id
  route_table_id = aws_route_table.app.id
}

resource "aws_network_acl" "app" {
  vpc_id     = aws_vpc.shared.id
  subnet_ids = [for s in aws_subnet.app : s.id]
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    cidr_block = "10.30.0.0/16"
  }
  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "tcp"
    from_port  = 1024
    to_port    = 65535
    cidr_block = "0.0.0.0/0"
  }
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    cidr_block = "0.0.0.0/0"
  }
  tags = { Name = "app" }
}
