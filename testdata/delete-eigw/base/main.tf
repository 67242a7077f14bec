# Base: a dual-stack VPC whose "app" subnet sends IPv6 out through an egress-only internet
# gateway (aws_route.app_ipv6_egress, ::/0 -> EIGW). No IPv4 default route: app is isolated
# for IPv4.

resource "aws_vpc" "main" {
  cidr_block                       = "10.2.0.0/16"
  assign_generated_ipv6_cidr_block = true
  tags                             = { Name = "delete-eigw" }
}

resource "aws_egress_only_internet_gateway" "eigw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "app" {
  vpc_id                          = aws_vpc.main.id
  cidr_block                      = "10.2.1.0/24"
  availability_zone               = "us-east-1a"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
  assign_ipv6_address_on_creation = true
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "app_ipv6_egress" {
  route_table_id              = aws_route_table.app.id
  destination_ipv6_cidr_block = "::/0"
  egress_only_gateway_id      = aws_egress_only_internet_gateway.eigw.id
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

# The changed configuration hard-codes this ID (regen-existing.sh passes it as var.eigw_id).
output "eigw_id" {
  value = aws_egress_only_internet_gateway.eigw.id
}
