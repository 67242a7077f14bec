# The plan: over the base (base/main.tf, applied first), it routes the VPC's main route table
# to the internet gateway and to an S3 gateway endpoint, both through
# `aws_vpc.main.main_route_table_id`, denies SSH from the internet in the VPC's default
# NACL through `aws_vpc.main.default_network_acl_id`, and opens RDP to the world in the
# VPC's default security group through `aws_vpc.main.default_security_group_id`.

resource "aws_vpc" "main" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "web" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.60.1.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_route" "internet" {
  route_table_id         = aws_vpc.main.main_route_table_id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.igw.id
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = [aws_vpc.main.main_route_table_id]
}

resource "aws_network_acl_rule" "deny_ssh" {
  network_acl_id = aws_vpc.main.default_network_acl_id
  rule_number    = 50
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}

resource "aws_instance" "web" {
  ami           = "ami-12c6146b"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.web.id
}

resource "aws_vpc_security_group_ingress_rule" "rdp" {
  security_group_id = aws_vpc.main.default_security_group_id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 3389
  to_port           = 3389
  ip_protocol       = "tcp"
}
