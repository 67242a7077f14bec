# A dual-stack private subnet whose route table sends IPv6 AND IPv4 to the egress-only
# internet gateway. The EIGW is IPv6-only: the IPv4 route is invalid/dead (TFVPC101).

resource "aws_vpc" "main" {
  cidr_block                       = "10.0.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_subnet" "private" {
  vpc_id                          = aws_vpc.main.id
  availability_zone               = "us-east-1a"
  cidr_block                      = "10.0.1.0/24"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
  assign_ipv6_address_on_creation = true
}

resource "aws_egress_only_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id

  # Correct: IPv6 default route to the EIGW (near miss, must not fire TFVPC101).
  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.main.id
  }
}

# WRONG: an IPv4 destination targeting the EIGW (TFVPC101). IPv4 egress needs a NAT gateway.
resource "aws_route" "ipv4_to_eigw" {
  route_table_id         = aws_route_table.private.id
  destination_cidr_block = "0.0.0.0/0"
  egress_only_gateway_id = aws_egress_only_internet_gateway.main.id
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
