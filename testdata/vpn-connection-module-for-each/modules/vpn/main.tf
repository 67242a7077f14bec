variable "vgw_id" {
  type = string
}

variable "customer_gateway_id" {
  type = string
}

# Two static connections to one gateway: a primary and a backup.
resource "aws_vpn_connection" "primary" {
  vpn_gateway_id      = var.vgw_id
  customer_gateway_id = var.customer_gateway_id
  type                = "ipsec.1"
  static_routes_only  = true
}

resource "aws_vpn_connection" "backup" {
  vpn_gateway_id      = var.vgw_id
  customer_gateway_id = var.customer_gateway_id
  type                = "ipsec.1"
  static_routes_only  = true
}

output "primary_id" {
  value = aws_vpn_connection.primary.id
}

output "backup_id" {
  value = aws_vpn_connection.backup.id
}
