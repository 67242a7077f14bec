# Two transit gateways, with AWS's default association and propagation: the hub, and a
# spare one.
resource "aws_ec2_transit_gateway" "this" {
  description = "hub"
}

resource "aws_ec2_transit_gateway" "spare" {
  description = "spare"
}

output "id" {
  value = aws_ec2_transit_gateway.this.id
}

output "spare_id" {
  value = aws_ec2_transit_gateway.spare.id
}
