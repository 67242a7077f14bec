variable "vpc_id" {
  type = string
}

# The VPC's gateway, and a spare one attached to no VPC.
resource "aws_vpn_gateway" "this" {
  vpc_id = var.vpc_id
}

resource "aws_vpn_gateway" "spare" {
}

output "vgw_id" {
  value = aws_vpn_gateway.this.id
}

output "spare_vgw_id" {
  value = aws_vpn_gateway.spare.id
}
