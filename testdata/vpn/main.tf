# Site-to-site VPN, both flavours.
#
# 1. VPC "office_link" (10.0.0.0/16) with a virtual private gateway, attached by
#    aws_vpn_gateway_attachment. Static VPN to the head office (192.168.0.0/16 via
#    aws_vpn_connection_route). Routes reach the subnets by propagation: table "private_a"
#    with propagating_vgws, table "private_b" with aws_vpn_gateway_route_propagation; "private_a"
#    also has a static route 172.16.0.0/12 -> VGW.
# 2. Transit gateway "hub" with vpn_ecmp_support = "enable" and two VPN connections:
#      branch_static  static_routes_only = true  -> TFVPC304 (ECMP needs BGP: stuck at 1.25 Gbps)
#      branch_bgp     BGP (dynamic)               -> near miss for TFVPC304
#    VPC "spoke" (10.50.0.0/16) is attached to the hub and routes the branch ranges to it.

# --- 1. VGW ------------------------------------------------------------------------------

resource "aws_vpc" "office_link" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.office_link.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.1.0/24"
}

resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.office_link.id
  availability_zone = "us-east-1b"
  cidr_block        = "10.0.2.0/24"
}

resource "aws_vpn_gateway" "office" {
  amazon_side_asn = 64620
  tags            = { Name = "office" }
}

resource "aws_vpn_gateway_attachment" "office" {
  vpc_id         = aws_vpc.office_link.id
  vpn_gateway_id = aws_vpn_gateway.office.id
}

resource "aws_customer_gateway" "head_office" {
  bgp_asn    = 65000
  ip_address = "203.0.113.10"
  type       = "ipsec.1"
  tags       = { Name = "head-office" }
}

resource "aws_vpn_connection" "head_office" {
  vpn_gateway_id      = aws_vpn_gateway.office.id
  customer_gateway_id = aws_customer_gateway.head_office.id
  type                = "ipsec.1"
  static_routes_only  = true
}

resource "aws_vpn_connection_route" "head_office" {
  vpn_connection_id      = aws_vpn_connection.head_office.id
  destination_cidr_block = "192.168.0.0/16"
}

resource "aws_route_table" "private_a" {
  vpc_id           = aws_vpc.office_link.id
  propagating_vgws = [aws_vpn_gateway.office.id]

  route {
    cidr_block = "172.16.0.0/12"
    gateway_id = aws_vpn_gateway.office.id
  }

  depends_on = [aws_vpn_gateway_attachment.office]
}

resource "aws_route_table_association" "private_a" {
  subnet_id      = aws_subnet.private_a.id
  route_table_id = aws_route_table.private_a.id
}

resource "aws_route_table" "private_b" {
  vpc_id = aws_vpc.office_link.id
}

resource "aws_vpn_gateway_route_propagation" "private_b" {
  vpn_gateway_id = aws_vpn_gateway.office.id
  route_table_id = aws_route_table.private_b.id
  depends_on     = [aws_vpn_gateway_attachment.office]
}

resource "aws_route_table_association" "private_b" {
  subnet_id      = aws_subnet.private_b.id
  route_table_id = aws_route_table.private_b.id
}

# --- 2. TGW with ECMP --------------------------------------------------------------------

resource "aws_ec2_transit_gateway" "hub" {
  description      = "hub"
  amazon_side_asn  = 64512
  vpn_ecmp_support = "enable"
}

resource "aws_customer_gateway" "branch_static" {
  bgp_asn    = 65010
  ip_address = "198.51.100.20"
  type       = "ipsec.1"
  tags       = { Name = "branch-static" }
}

resource "aws_customer_gateway" "branch_bgp" {
  bgp_asn    = 65020
  ip_address = "198.51.100.30"
  type       = "ipsec.1"
  tags       = { Name = "branch-bgp" }
}

# WRONG for ECMP: static routing, so only one tunnel carries traffic (TFVPC304).
resource "aws_vpn_connection" "branch_static" {
  transit_gateway_id  = aws_ec2_transit_gateway.hub.id
  customer_gateway_id = aws_customer_gateway.branch_static.id
  type                = "ipsec.1"
  static_routes_only  = true
}

# Static VPN on a TGW: the route lives in the TGW route table.
resource "aws_ec2_transit_gateway_route" "branch_static" {
  destination_cidr_block         = "172.20.0.0/16"
  transit_gateway_attachment_id  = aws_vpn_connection.branch_static.transit_gateway_attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway.hub.association_default_route_table_id
}

# Correct: BGP, both tunnels used with ECMP (near miss for TFVPC304).
resource "aws_vpn_connection" "branch_bgp" {
  transit_gateway_id  = aws_ec2_transit_gateway.hub.id
  customer_gateway_id = aws_customer_gateway.branch_bgp.id
  type                = "ipsec.1"
  static_routes_only  = false
}

resource "aws_vpc" "spoke" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_subnet" "spoke" {
  vpc_id            = aws_vpc.spoke.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.50.1.0/24"
}

resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke.id
  subnet_ids         = [aws_subnet.spoke.id]
}

resource "aws_route_table" "spoke" {
  vpc_id = aws_vpc.spoke.id

  route {
    cidr_block         = "172.20.0.0/15" # both branches: 172.20/16 (static) and 172.21/16 (BGP)
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }

  depends_on = [aws_ec2_transit_gateway_vpc_attachment.spoke]
}

resource "aws_route_table_association" "spoke" {
  subnet_id      = aws_subnet.spoke.id
  route_table_id = aws_route_table.spoke.id
}
