# Client VPN: remote users arrive in the subnets their endpoint is associated with, behind
# its security groups. Where they may go is what the endpoint authorizes (a rule for the
# network; AWS denies the rest) and routes through that subnet (the VPC, plus the endpoint's
# own routes).
#
# - `corp` authorizes the app subnets for everyone, and 0.0.0.0/0 for the admins' group so
#   they can browse through the NAT gateway. AWS evaluates 0.0.0.0/0 last, for whatever no
#   other rule names: it also authorizes the data subnet, so admins reach the database. Its
#   internet route goes through app["a"] only, so users arriving in app["b"] have none.
# - `contractors` authorizes app["a"]'s CIDR only: the database is not theirs.

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = "client-vpn" }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/24"
  availability_zone = "us-east-1a"
}

locals {
  app_subnets = {
    a = { cidr = "10.0.10.0/24", az = "us-east-1a" }
    b = { cidr = "10.0.11.0/24", az = "us-east-1b" }
  }
}

resource "aws_subnet" "app" {
  for_each          = local.app_subnets
  vpc_id            = aws_vpc.main.id
  cidr_block        = each.value.cidr
  availability_zone = each.value.az
}

resource "aws_subnet" "data" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.20.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "main" {
  subnet_id     = aws_subnet.public.id
  allocation_id = aws_eip.nat.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }
}

resource "aws_route_table_association" "app" {
  for_each       = aws_subnet.app
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private.id
}

resource "aws_route_table_association" "data" {
  subnet_id      = aws_subnet.data.id
  route_table_id = aws_route_table.private.id
}

# ---- the endpoints' groups, and what admits them

resource "aws_security_group" "corp_vpn" {
  name   = "corp-vpn"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "contractor_vpn" {
  name   = "contractor-vpn"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.main.id
  ingress {
    description     = "SSH from both VPNs"
    from_port       = 22
    to_port         = 22
    protocol        = "tcp"
    security_groups = [aws_security_group.corp_vpn.id, aws_security_group.contractor_vpn.id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id
  ingress {
    description     = "PostgreSQL from the apps and from both VPNs"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id, aws_security_group.corp_vpn.id, aws_security_group.contractor_vpn.id]
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app["a"].id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_instance" "db" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.data.id
  vpc_security_group_ids = [aws_security_group.db.id]
}

# ---- corp: the employees' endpoint

resource "aws_ec2_client_vpn_endpoint" "corp" {
  description            = "corp"
  server_certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
  client_cidr_block      = "172.20.0.0/22"
  vpc_id                 = aws_vpc.main.id
  security_group_ids     = [aws_security_group.corp_vpn.id]
  split_tunnel           = false

  authentication_options {
    type                       = "certificate-authentication"
    root_certificate_chain_arn = "arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000"
  }

  connection_log_options {
    enabled = false
  }
}

resource "aws_ec2_client_vpn_network_association" "corp" {
  for_each               = aws_subnet.app
  client_vpn_endpoint_id = aws_ec2_client_vpn_endpoint.corp.id
  subnet_id              = each.value.id
}

resource "aws_ec2_client_vpn_authorization_rule" "corp_apps" {
  client_vpn_endpoint_id = aws_ec2_client_vpn_endpoint.corp.id
  target_network_cidr    = "10.0.10.0/23"
  authorize_all_groups   = true
}

resource "aws_ec2_client_vpn_authorization_rule" "corp_admins_anywhere" {
  client_vpn_endpoint_id = aws_ec2_client_vpn_endpoint.corp.id
  target_network_cidr    = "0.0.0.0/0"
  access_group_id        = "admins"
}

resource "aws_ec2_client_vpn_route" "corp_internet" {
  client_vpn_endpoint_id = aws_ec2_client_vpn_endpoint.corp.id
  destination_cidr_block = "0.0.0.0/0"
  target_vpc_subnet_id   = aws_ec2_client_vpn_network_association.corp["a"].subnet_id
}

# ---- contractors: their own endpoint, the app servers only

resource "aws_ec2_client_vpn_endpoint" "contractors" {
  description            = "contractors"
  server_certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
  client_cidr_block      = "172.24.0.0/22"
  vpc_id                 = aws_vpc.main.id
  security_group_ids     = [aws_security_group.contractor_vpn.id]
  split_tunnel           = true

  authentication_options {
    type                       = "certificate-authentication"
    root_certificate_chain_arn = "arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000"
  }

  connection_log_options {
    enabled = false
  }
}

resource "aws_ec2_client_vpn_network_association" "contractors" {
  client_vpn_endpoint_id = aws_ec2_client_vpn_endpoint.contractors.id
  subnet_id              = aws_subnet.app["b"].id
}

resource "aws_ec2_client_vpn_authorization_rule" "contractors_app" {
  client_vpn_endpoint_id = aws_ec2_client_vpn_endpoint.contractors.id
  target_network_cidr    = aws_subnet.app["a"].cidr_block
  authorize_all_groups   = true
}
