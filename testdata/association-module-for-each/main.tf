# Subnets made in modules called with for_each, associated with route tables and network
# ACLs in the root through `module.x[each.key].subnet_id`: terraform's plan JSON lists that
# reference as `module.x` and `each.key` only (the index is not a constant).

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_network_acl" "open" {
  vpc_id = aws_vpc.main.id

  ingress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  egress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}

resource "aws_network_acl" "restricted" {
  vpc_id = aws_vpc.main.id
}

# One subnet per edge module: `module.edge[each.key].subnet_id` can only be it.
module "edge" {
  source   = "./modules/edge"
  for_each = { dmz = 10 }

  vpc_id = aws_vpc.main.id
  cidr   = cidrsubnet(aws_vpc.main.cidr_block, 8, each.value)
}

resource "aws_route_table_association" "edge" {
  for_each = { dmz = 10 }

  subnet_id      = module.edge[each.key].subnet_id
  route_table_id = aws_route_table.public.id
}

resource "aws_network_acl_association" "edge" {
  for_each = { dmz = 10 }

  subnet_id      = module.edge[each.key].subnet_id
  network_acl_id = aws_network_acl.open.id
}

# Two subnets per tier module, each with an output: which one the associations name is not
# in the plan.
module "tier" {
  source   = "./modules/tier"
  for_each = { web = 0, app = 2 }

  vpc_id = aws_vpc.main.id
  cidr   = cidrsubnet(aws_vpc.main.cidr_block, 7, each.value)
}

resource "aws_route_table_association" "tier" {
  for_each = { web = 0, app = 2 }

  subnet_id      = module.tier[each.key].subnet_id
  route_table_id = aws_route_table.public.id
}

resource "aws_network_acl_association" "tier" {
  for_each = { web = 0, app = 2 }

  subnet_id      = module.tier[each.key].subnet_id
  network_acl_id = aws_network_acl.restricted.id
}
