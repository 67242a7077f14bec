# One VPC with what the root links to through outputs, two of each kind.

variable "cidr" { type = string }

resource "aws_vpc" "this" { cidr_block = var.cidr }

resource "aws_internet_gateway" "this" { vpc_id = aws_vpc.this.id }

resource "aws_vpn_gateway" "this" { vpc_id = aws_vpc.this.id }

resource "aws_customer_gateway" "a" {
  bgp_asn    = 65000
  ip_address = "198.51.100.1"
  type       = "ipsec.1"
}

resource "aws_vpn_connection" "a" {
  vpn_gateway_id      = aws_vpn_gateway.this.id
  customer_gateway_id = aws_customer_gateway.a.id
  type                = "ipsec.1"
  static_routes_only  = true
}

resource "aws_vpn_connection" "b" {
  vpn_gateway_id      = aws_vpn_gateway.this.id
  customer_gateway_id = aws_customer_gateway.a.id
  type                = "ipsec.1"
  static_routes_only  = true
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet(var.cidr, 4, 0)
}

resource "aws_subnet" "b" {
  vpc_id     = aws_vpc.this.id
  cidr_block = cidrsubnet(var.cidr, 4, 1)
}

resource "aws_route_table" "a" { vpc_id = aws_vpc.this.id }
resource "aws_route_table" "b" { vpc_id = aws_vpc.this.id }

resource "aws_security_group" "a" { vpc_id = aws_vpc.this.id }
resource "aws_security_group" "b" { vpc_id = aws_vpc.this.id }

resource "aws_network_interface" "a" { subnet_id = aws_subnet.a.id }
resource "aws_network_interface" "b" { subnet_id = aws_subnet.b.id }

resource "aws_vpc_endpoint" "s3" {
  vpc_id       = aws_vpc.this.id
  service_name = "com.amazonaws.us-east-1.s3"
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id       = aws_vpc.this.id
  service_name = "com.amazonaws.us-east-1.dynamodb"
}

resource "aws_vpc_endpoint" "sqs" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.us-east-1.sqs"
  vpc_endpoint_type = "Interface"
}

resource "aws_vpc_endpoint" "sns" {
  vpc_id            = aws_vpc.this.id
  service_name      = "com.amazonaws.us-east-1.sns"
  vpc_endpoint_type = "Interface"
}

output "rt_a" { value = aws_route_table.a.id }
output "rt_b" { value = aws_route_table.b.id }
output "vgw" { value = aws_vpn_gateway.this.id }
output "igw" { value = aws_internet_gateway.this.id }
output "vpn_a" { value = aws_vpn_connection.a.id }
output "vpn_b" { value = aws_vpn_connection.b.id }
output "sg_a" { value = aws_security_group.a.id }
output "sg_b" { value = aws_security_group.b.id }
output "eni_a" { value = aws_network_interface.a.id }
output "eni_b" { value = aws_network_interface.b.id }
output "s3" { value = aws_vpc_endpoint.s3.id }
output "dynamodb" { value = aws_vpc_endpoint.dynamodb.id }
output "sqs" { value = aws_vpc_endpoint.sqs.id }
output "sns" { value = aws_vpc_endpoint.sns.id }
output "subnet_a" { value = aws_subnet.a.id }
output "subnet_b" { value = aws_subnet.b.id }
