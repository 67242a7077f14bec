# Nested blocks terraform leaves out of the plan's configuration, and entries that are
# resources of their own.
#
# 1. aws_route_table.web writes its default route in a `dynamic "route"` block. The route is
#    in the planned values; its gateway_id is known only after apply, and the references of
#    a dynamic block are not in the plan: the target is unknown, not "no route".
# 2. aws_network_acl.web writes its rules in `dynamic` blocks (deny SSH, allow the rest).
# 3. Prefix list "office" has no `entry` blocks: its entries are
#    aws_ec2_managed_prefix_list_entry resources. aws_route_table.app sends it to the VPN
#    gateway; the VPN reaches the head office (192.168.0.0/16, inside the list).
# 4. Prefix list "partners" has neither: its entries are known only after apply, and
#    aws_route_table.batch sends it to the VPN gateway.

resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "web" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.30.1.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.30.2.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "batch" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.30.3.0/24"
  availability_zone = "us-east-1a"
}

locals {
  web_routes = [{ cidr = "0.0.0.0/0" }]
  web_ingress = [
    { rule_no = 100, action = "deny", protocol = "tcp", from = 22, to = 22 },
    { rule_no = 200, action = "allow", protocol = "-1", from = 0, to = 0 },
  ]
}

# --- 1. and 2. -------------------------------------------------------------------------

resource "aws_route_table" "web" {
  vpc_id = aws_vpc.main.id

  dynamic "route" {
    for_each = local.web_routes
    content {
      cidr_block = route.value.cidr
      gateway_id = aws_internet_gateway.igw.id
    }
  }
}

resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}

resource "aws_network_acl" "web" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.web.id]

  dynamic "ingress" {
    for_each = local.web_ingress
    content {
      rule_no    = ingress.value.rule_no
      action     = ingress.value.action
      protocol   = ingress.value.protocol
      cidr_block = "0.0.0.0/0"
      from_port  = ingress.value.from
      to_port    = ingress.value.to
    }
  }

  dynamic "egress" {
    for_each = [100]
    content {
      rule_no    = egress.value
      action     = "allow"
      protocol   = "-1"
      cidr_block = "0.0.0.0/0"
      from_port  = 0
      to_port    = 0
    }
  }
}

# --- 3. and 4. -------------------------------------------------------------------------

resource "aws_vpn_gateway" "office" {
  vpc_id = aws_vpc.main.id
}

resource "aws_customer_gateway" "head_office" {
  bgp_asn    = 65000
  ip_address = "203.0.113.10"
  type       = "ipsec.1"
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

resource "aws_ec2_managed_prefix_list" "office" {
  name           = "office"
  address_family = "IPv4"
  max_entries    = 5
}

resource "aws_ec2_managed_prefix_list_entry" "head_office" {
  prefix_list_id = aws_ec2_managed_prefix_list.office.id
  cidr           = "192.168.0.0/16"
}

resource "aws_ec2_managed_prefix_list" "partners" {
  name           = "partners"
  address_family = "IPv4"
  max_entries    = 5
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "app_office" {
  route_table_id             = aws_route_table.app.id
  destination_prefix_list_id = aws_ec2_managed_prefix_list.office.id
  gateway_id                 = aws_vpn_gateway.office.id
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

resource "aws_route_table" "batch" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "batch_partners" {
  route_table_id             = aws_route_table.batch.id
  destination_prefix_list_id = aws_ec2_managed_prefix_list.partners.id
  gateway_id                 = aws_vpn_gateway.office.id
}

resource "aws_route_table_association" "batch" {
  subnet_id      = aws_subnet.batch.id
  route_table_id = aws_route_table.batch.id
}
