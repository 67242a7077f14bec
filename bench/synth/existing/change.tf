# The change planned over the applied base: one more blackhole at the hub, for the first
# spoke's first public subnet.
resource "aws_ec2_transit_gateway_route" "quarantine" {
  destination_cidr_block         = "10.0.0.0/24"
  blackhole                      = true
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
