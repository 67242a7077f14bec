variable "transit_gateway_id" {
  type = string
}

# Two route tables per instance: the module's outputs name both, so which one
# `module.tables[each.key]` is followed by is not in the plan.
resource "aws_ec2_transit_gateway_route_table" "this" {
  transit_gateway_id = var.transit_gateway_id
}

resource "aws_ec2_transit_gateway_route_table" "spare" {
  transit_gateway_id = var.transit_gateway_id
}

output "id" {
  value = aws_ec2_transit_gateway_route_table.this.id
}

output "spare_id" {
  value = aws_ec2_transit_gateway_route_table.spare.id
}
