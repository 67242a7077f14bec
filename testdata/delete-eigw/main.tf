# Change: the egress-only internet gateway's resource block is removed, so the plan DELETES
# aws_egress_only_internet_gateway.eigw. The route that used it is kept, but now names the
# gateway by its literal ID (var.eigw_id = the real "eigw-..." of the base apply, the way a
# hard-coded ID or an ID passed in from another stack looks), so Terraform sees no change to
# aws_route.app_ipv6_egress (no-op). After apply the route is a blackhole: app -> internet
# (IPv6) closes, and TFVPC102 must fire on aws_route.app_ipv6_egress.

variable "eigw_id" {
  description = "ID of the egress-only internet gateway (filled from the base apply's output)"
  type        = string
}

resource "aws_vpc" "main" {
  cidr_block                       = "10.2.0.0/16"
  assign_generated_ipv6_cidr_block = true
  tags                             = { Name = "delete-eigw" }
}

# removed: aws_egress_only_internet_gateway.eigw

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
  egress_only_gateway_id      = var.eigw_id # was: aws_egress_only_internet_gateway.eigw.id
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
