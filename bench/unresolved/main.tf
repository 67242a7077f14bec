# Links that a module called with `for_each` leaves unresolved, N times over: every
# reference below is `module.net[each.key].<output>`, which terraform's plan JSON lists as
# `module.net` and `each.key` only, and the module has two outputs of each kind (two route
# tables, two NACLs, two groups, two TGW route tables, two subnets), so none resolves to one
# object. Each must cost the analysis about the same at any N: nothing may be copied into
# every table (or checked against every group) of the plan. `bash bench/unresolved/run.sh`.

variable "n" { type = number }

locals {
  spokes = { for i in range(var.n) : format("s%04d", i) => format("10.%d.%d.0/24", floor(i / 256), i % 256) }
}

resource "aws_ec2_transit_gateway" "hub" {}

module "net" {
  source   = "./modules/net"
  for_each = local.spokes
  cidr     = cidrsubnet("10.0.0.0/8", 8, index(keys(local.spokes), each.key) % 256)
  tgw_id   = aws_ec2_transit_gateway.hub.id
}

resource "aws_route_table_association" "x" {
  for_each       = local.spokes
  subnet_id      = module.net[each.key].subnet_a
  route_table_id = module.net[each.key].rt_a
}

resource "aws_network_acl_association" "x" {
  for_each       = local.spokes
  subnet_id      = module.net[each.key].subnet_b
  network_acl_id = module.net[each.key].nacl_a
}

resource "aws_network_acl_rule" "x" {
  for_each       = local.spokes
  network_acl_id = module.net[each.key].nacl_a
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 443
  to_port        = 443
}

resource "aws_security_group_rule" "x" {
  for_each          = local.spokes
  security_group_id = module.net[each.key].sg_a
  type              = "ingress"
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["10.0.0.0/8"]
}

resource "aws_vpc_security_group_ingress_rule" "x" {
  for_each          = local.spokes
  security_group_id = module.net[each.key].sg_b
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "10.0.0.0/8"
}

resource "aws_ec2_transit_gateway_route" "x" {
  for_each                       = local.spokes
  destination_cidr_block         = "192.168.0.0/16"
  blackhole                      = true
  transit_gateway_route_table_id = module.net[each.key].tgw_rt_x
}

resource "aws_ec2_transit_gateway_route_table_association" "x" {
  for_each                       = local.spokes
  transit_gateway_attachment_id  = module.net[each.key].attachment_id
  transit_gateway_route_table_id = module.net[each.key].tgw_rt_x
}

resource "aws_ec2_transit_gateway_route_table_propagation" "x" {
  for_each                       = local.spokes
  transit_gateway_attachment_id  = module.net[each.key].attachment_id
  transit_gateway_route_table_id = module.net[each.key].tgw_rt_y
}

resource "aws_route" "to_hub" {
  for_each               = local.spokes
  route_table_id         = module.net[each.key].rt_a
  destination_cidr_block = "192.168.0.0/16"
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
}

resource "aws_vpc_endpoint" "s3" {
  for_each          = local.spokes
  vpc_id            = module.net[each.key].vpc_id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [module.net[each.key].rt_b]
}
