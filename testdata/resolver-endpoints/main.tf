# Hybrid DNS: Route 53 Resolver endpoints are network interfaces in the VPC.
#
# - `outbound` forwards the VPC's queries for corp.example to the office's DNS servers over
#   the site-to-site VPN (192.168.0.0/16). Its group allows DNS out to the office only.
# - `inbound` answers queries from the VPC and the office; its group admits DNS from both.
# - The app servers ask the inbound endpoint; a table without the VPN route leaves
#   `aws_subnet.dns["b"]`, and so the outbound endpoint's interface there, without a way to the
#   office.

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = "hybrid-dns" }
}

locals {
  dns_subnets = {
    a = { cidr = "10.0.1.0/24", az = "us-east-1a" }
    b = { cidr = "10.0.2.0/24", az = "us-east-1b" }
  }
}

resource "aws_subnet" "dns" {
  for_each          = local.dns_subnets
  vpc_id            = aws_vpc.main.id
  cidr_block        = each.value.cidr
  availability_zone = each.value.az
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.10.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_vpn_gateway" "office" {
  vpc_id = aws_vpc.main.id
}

resource "aws_customer_gateway" "office" {
  bgp_asn    = 65000
  ip_address = "203.0.113.10"
  type       = "ipsec.1"
}

resource "aws_vpn_connection" "office" {
  vpn_gateway_id      = aws_vpn_gateway.office.id
  customer_gateway_id = aws_customer_gateway.office.id
  type                = "ipsec.1"
  static_routes_only  = true
}

resource "aws_vpn_connection_route" "office" {
  vpn_connection_id      = aws_vpn_connection.office.id
  destination_cidr_block = "192.168.0.0/16"
}

resource "aws_route_table" "to_office" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "192.168.0.0/16"
    gateway_id = aws_vpn_gateway.office.id
  }
}

resource "aws_route_table_association" "dns_a" {
  subnet_id      = aws_subnet.dns["a"].id
  route_table_id = aws_route_table.to_office.id
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.to_office.id
}

resource "aws_security_group" "outbound_dns" {
  name   = "outbound-dns"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 53
    to_port     = 53
    protocol    = "udp"
    cidr_blocks = ["192.168.0.0/16"]
  }
  egress {
    from_port   = 53
    to_port     = 53
    protocol    = "tcp"
    cidr_blocks = ["192.168.0.0/16"]
  }
}

resource "aws_security_group" "inbound_dns" {
  name   = "inbound-dns"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 53
    to_port     = 53
    protocol    = "udp"
    cidr_blocks = ["10.0.0.0/16", "192.168.0.0/16"]
  }
  ingress {
    from_port   = 53
    to_port     = 53
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16", "192.168.0.0/16"]
  }
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_route53_resolver_endpoint" "outbound" {
  name               = "to-office"
  direction          = "OUTBOUND"
  security_group_ids = [aws_security_group.outbound_dns.id]

  ip_address {
    subnet_id = aws_subnet.dns["a"].id
  }

  ip_address {
    subnet_id = aws_subnet.dns["b"].id
  }
}

resource "aws_route53_resolver_endpoint" "inbound" {
  name               = "from-office"
  direction          = "INBOUND"
  security_group_ids = [aws_security_group.inbound_dns.id]

  ip_address {
    subnet_id = aws_subnet.dns["a"].id
  }

  ip_address {
    subnet_id = aws_subnet.dns["b"].id
  }
}
