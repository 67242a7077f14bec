# Internet egress inspected by AWS Network Firewall, one firewall endpoint per AZ:
#
#   app subnets (1a, 1b)      0.0.0.0/0 -> the firewall endpoint of their AZ
#   firewall subnets (1a, 1b) 0.0.0.0/0 -> the NAT gateway of their AZ
#   public subnets (1a, 1b)   0.0.0.0/0 -> the internet gateway; NAT gateways here;
#                             the app subnet of their AZ -> the firewall endpoint of the AZ
#                             (so the NAT gateways' replies pass the firewall too)
#
# The routes name the endpoint of their AZ the way configurations do: a `for` over the
# firewall's sync states, filtered by AZ. Its value is known only after apply; tfvpc takes
# the firewall's endpoint in the route's subnet's AZ.
#
#   app -> internet: allowed, through the firewall and the NAT gateway of the AZ
#   (the firewall's rules are not evaluated).

locals {
  azs = ["us-east-1a", "us-east-1b"]
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = "inspected" }
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
  tags              = { Name = "public-${local.azs[count.index]}" }
}

resource "aws_subnet" "firewall" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet("10.0.0.0/16", 12, 256 + count.index)
  tags              = { Name = "firewall-${local.azs[count.index]}" }
}

resource "aws_subnet" "app" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  availability_zone = local.azs[count.index]
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, 10 + count.index)
  tags              = { Name = "app-${local.azs[count.index]}" }
}

resource "aws_eip" "nat" {
  count  = 2
  domain = "vpc"
}

resource "aws_nat_gateway" "main" {
  count         = 2
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id
}

resource "aws_networkfirewall_firewall_policy" "egress" {
  name = "egress"
  firewall_policy {
    stateless_default_actions          = ["aws:forward_to_sfe"]
    stateless_fragment_default_actions = ["aws:forward_to_sfe"]
  }
}

resource "aws_networkfirewall_firewall" "egress" {
  name                = "egress"
  vpc_id              = aws_vpc.main.id
  firewall_policy_arn = aws_networkfirewall_firewall_policy.egress.arn
  subnet_mapping {
    subnet_id = aws_subnet.firewall[0].id
  }
  subnet_mapping {
    subnet_id = aws_subnet.firewall[1].id
  }
}

resource "aws_route_table" "public" {
  count  = 2
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
  tags = { Name = "public-${local.azs[count.index]}" }
}

# The NAT gateway's replies go back through the firewall endpoint of its AZ: a route more
# specific than the local route, so the firewall sees both directions of each connection.
resource "aws_route" "public_return" {
  count                  = 2
  route_table_id         = aws_route_table.public[count.index].id
  destination_cidr_block = aws_subnet.app[count.index].cidr_block
  vpc_endpoint_id = one([
    for ss in aws_networkfirewall_firewall.egress.firewall_status[0].sync_states :
    ss.attachment[0].endpoint_id if ss.availability_zone == local.azs[count.index]
  ])
}

resource "aws_route_table_association" "public" {
  count          = 2
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[count.index].id
}

resource "aws_route_table" "firewall" {
  count  = 2
  vpc_id = aws_vpc.main.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main[count.index].id
  }
  tags = { Name = "firewall-${local.azs[count.index]}" }
}

resource "aws_route_table_association" "firewall" {
  count          = 2
  subnet_id      = aws_subnet.firewall[count.index].id
  route_table_id = aws_route_table.firewall[count.index].id
}

resource "aws_route_table" "app" {
  count  = 2
  vpc_id = aws_vpc.main.id
  tags   = { Name = "app-${local.azs[count.index]}" }
}

resource "aws_route" "app_egress" {
  count                  = 2
  route_table_id         = aws_route_table.app[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  vpc_endpoint_id = one([
    for ss in aws_networkfirewall_firewall.egress.firewall_status[0].sync_states :
    ss.attachment[0].endpoint_id if ss.availability_zone == local.azs[count.index]
  ])
}

resource "aws_route_table_association" "app" {
  count          = 2
  subnet_id      = aws_subnet.app[count.index].id
  route_table_id = aws_route_table.app[count.index].id
}
