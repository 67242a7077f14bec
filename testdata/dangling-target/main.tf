# Routes to targets given as literal IDs. A create-only plan has no prior state, so a
# literal ID that no resource in the plan has is a target that does not exist here.
#   app table: 0.0.0.0/0 -> literal NAT gateway "nat-0badc0ffee0000001"
#              (not in this plan, no prior state)                        -> TFVPC102
#   app table: 10.90.0.0/16 -> aws_vpc_peering_connection.shared (in the plan) -> near miss for 102

resource "aws_vpc" "main" {
  cidr_block = "10.80.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.80.1.0/24"
}

resource "aws_vpc" "shared" {
  cidr_block = "10.90.0.0/16"
}

resource "aws_subnet" "shared" {
  vpc_id            = aws_vpc.shared.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.90.1.0/24"
}

resource "aws_vpc_peering_connection" "shared" {
  vpc_id      = aws_vpc.main.id
  peer_vpc_id = aws_vpc.shared.id
  auto_accept = true
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.main.id

  # WRONG: copied from another environment; this NAT gateway does not exist (TFVPC102).
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = "nat-0badc0ffee0000001"
  }

  route {
    cidr_block                = aws_vpc.shared.cidr_block
    vpc_peering_connection_id = aws_vpc_peering_connection.shared.id
  }
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

# Return route, so app <-> shared is symmetric.
resource "aws_route_table" "shared" {
  vpc_id = aws_vpc.shared.id

  route {
    cidr_block                = aws_vpc.main.cidr_block
    vpc_peering_connection_id = aws_vpc_peering_connection.shared.id
  }
}

resource "aws_route_table_association" "shared" {
  subnet_id      = aws_subnet.shared.id
  route_table_id = aws_route_table.shared.id
}
