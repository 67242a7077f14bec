# A VPC made by a module called with for_each; the root adds the private table's default
# route through `module.net[each.key].private_route_table_id`, which terraform's plan JSON
# lists as `module.net` and `each.key` only (the index is not a constant). The module has
# two route table outputs, so which table the route is in is not in the plan.

module "net" {
  source   = "./modules/net"
  for_each = { a = "10.1.0.0/16" }

  cidr = each.value
}

resource "aws_route" "private_default" {
  for_each = { a = "10.1.0.0/16" }

  route_table_id         = module.net[each.key].private_route_table_id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = module.net["a"].nat_gateway_id
}

# Another VPC, with no way out: the route above cannot be in its table (its target, the
# NAT gateway, is in the module's VPC).
resource "aws_vpc" "other" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "other" {
  vpc_id            = aws_vpc.other.id
  cidr_block        = "10.2.0.0/24"
  availability_zone = "us-east-1a"
}

# An S3 gateway endpoint whose route table is named the same way: it may be either table.
resource "aws_vpc_endpoint" "s3" {
  for_each = { a = "10.1.0.0/16" }

  vpc_id            = module.net["a"].vpc_id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [module.net[each.key].public_route_table_id]
}
