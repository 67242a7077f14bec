# Centralized inspection and egress, as in ../tgw-inspection, with two differences:
#
# - The inspection VPC's attachment has appliance mode on: the transit gateway keeps both
#   directions of a flow on one of its network interfaces there, so on one firewall
#   endpoint, even between the spokes' two zones (TFVPC307 silent; spoke 0 <-> spoke 1
#   allowed).
# - The egress VPC's public subnets have no route back to the transit gateway: the NAT
#   gateways' replies to the spokes follow 0.0.0.0/0 to the internet gateway, so nothing
#   from the spokes reaches the internet (TFVPC109 on the internet gateway).

locals {
  azs = ["us-east-1a", "us-east-1b"]
}

resource "aws_ec2_transit_gateway" "hub" {
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}

# ---- spokes

resource "aws_vpc" "spoke" {
  count      = 2
  cidr_block = "10.${count.index + 1}.0.0/16"
  tags       = { Name = "spoke-${count.index}" }
}

resource "aws_subnet" "spoke" {
  count             = 2
  vpc_id            = aws_vpc.spoke[count.index].id
  cidr_block        = "10.${count.index + 1}.0.0/24"
  availability_zone = local.azs[count.index]
}

resource "aws_route_table" "spoke" {
  count  = 2
  vpc_id = aws_vpc.spoke[count.index].id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}

resource "aws_route_table_association" "spoke" {
  count          = 2
  subnet_id      = aws_subnet.spoke[count.index].id
  route_table_id = aws_route_table.spoke[count.index].id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  count                                           = 2
  transit_gateway_id                              = aws_ec2_transit_gateway.hub.id
  vpc_id                                          = aws_vpc.spoke[count.index].id
  subnet_ids                                      = [aws_subnet.spoke[count.index].id]
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
}

# ---- inspection VPC

resource "aws_vpc" "inspection" {
  cidr_block = "10.100.0.0/16"
  tags       = { Name = "inspection" }
}

resource "aws_subnet" "tgw" {
  count             = 2
  vpc_id            = aws_vpc.inspection.id
  cidr_block        = cidrsubnet("10.100.0.0/24", 4, count.index)
  availability_zone = local.azs[count.index]
}

resource "aws_subnet" "firewall" {
  count             = 2
  vpc_id            = aws_vpc.inspection.id
  cidr_block        = cidrsubnet("10.100.1.0/24", 4, count.index)
  availability_zone = local.azs[count.index]
}

resource "aws_networkfirewall_firewall_policy" "east_west" {
  name = "east-west"
  firewall_policy {
    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
  }
}

resource "aws_networkfirewall_firewall" "east_west" {
  name                = "east-west"
  vpc_id              = aws_vpc.inspection.id
  firewall_policy_arn = aws_networkfirewall_firewall_policy.east_west.arn
  subnet_mapping {
    subnet_id = aws_subnet.firewall[0].id
  }
  subnet_mapping {
    subnet_id = aws_subnet.firewall[1].id
  }
}

resource "aws_route_table" "tgw" {
  count  = 2
  vpc_id = aws_vpc.inspection.id
}

resource "aws_route" "to_firewall" {
  count                  = 2
  route_table_id         = aws_route_table.tgw[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  vpc_endpoint_id = one([
    for ss in aws_networkfirewall_firewall.east_west.firewall_status[0].sync_states :
    ss.attachment[0].endpoint_id if ss.availability_zone == local.azs[count.index]
  ])
}

resource "aws_route_table_association" "tgw" {
  count          = 2
  subnet_id      = aws_subnet.tgw[count.index].id
  route_table_id = aws_route_table.tgw[count.index].id
}

resource "aws_route_table" "firewall" {
  vpc_id = aws_vpc.inspection.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}

resource "aws_route_table_association" "firewall" {
  count          = 2
  subnet_id      = aws_subnet.firewall[count.index].id
  route_table_id = aws_route_table.firewall.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "inspection" {
  transit_gateway_id                              = aws_ec2_transit_gateway.hub.id
  appliance_mode_support                          = "enable"
  vpc_id                                          = aws_vpc.inspection.id
  subnet_ids                                      = aws_subnet.tgw[*].id
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
}

# ---- transit gateway route tables: spokes → inspection; inspection → spokes

resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}

resource "aws_ec2_transit_gateway_route_table_association" "spokes" {
  count                          = 2
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke[count.index].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route" "spokes_to_inspection" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.inspection.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route_table" "inspection" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}

resource "aws_ec2_transit_gateway_route_table_association" "inspection" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.inspection.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspection.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "spokes" {
  count                          = 2
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.spoke[count.index].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspection.id
}

resource "aws_vpc" "egress" { cidr_block = "10.200.0.0/16" }
resource "aws_internet_gateway" "egress" { vpc_id = aws_vpc.egress.id }
resource "aws_subnet" "egress_tgw" {
  count             = 2
  vpc_id            = aws_vpc.egress.id
  cidr_block        = cidrsubnet("10.200.0.0/24", 4, count.index)
  availability_zone = local.azs[count.index]
}
resource "aws_subnet" "egress_public" {
  count             = 2
  vpc_id            = aws_vpc.egress.id
  cidr_block        = cidrsubnet("10.200.1.0/24", 4, count.index)
  availability_zone = local.azs[count.index]
}
resource "aws_eip" "nat" {
  count  = 2
  domain = "vpc"
}
resource "aws_nat_gateway" "egress" {
  count         = 2
  subnet_id     = aws_subnet.egress_public[count.index].id
  allocation_id = aws_eip.nat[count.index].id
}
resource "aws_route_table" "egress_tgw" {
  count  = 2
  vpc_id = aws_vpc.egress.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.egress[count.index].id
  }
}
resource "aws_route_table_association" "egress_tgw" {
  count          = 2
  subnet_id      = aws_subnet.egress_tgw[count.index].id
  route_table_id = aws_route_table.egress_tgw[count.index].id
}
resource "aws_route_table" "egress_public" {
  vpc_id = aws_vpc.egress.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.egress.id
  }
}
resource "aws_route_table_association" "egress_public" {
  count          = 2
  subnet_id      = aws_subnet.egress_public[count.index].id
  route_table_id = aws_route_table.egress_public.id
}
resource "aws_ec2_transit_gateway_vpc_attachment" "egress" {
  transit_gateway_id                              = aws_ec2_transit_gateway.hub.id
  vpc_id                                          = aws_vpc.egress.id
  subnet_ids                                      = aws_subnet.egress_tgw[*].id
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
}
resource "aws_ec2_transit_gateway_route" "inspection_to_egress" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspection.id
}
resource "aws_ec2_transit_gateway_route_table_association" "egress" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.egress.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
