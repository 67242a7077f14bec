variable "base" {
  type = number
}

# A hub VPC peered with two spokes; neither peering is accepted here: the root does that.
resource "aws_vpc" "v" {
  for_each   = { hub = 0, x = 1, y = 2 }
  cidr_block = "10.${var.base + each.value}.0.0/16"
}

resource "aws_subnet" "s" {
  for_each          = aws_vpc.v
  vpc_id            = each.value.id
  cidr_block        = cidrsubnet(each.value.cidr_block, 8, 1)
  availability_zone = "us-east-1a"
}

resource "aws_vpc_peering_connection" "p" {
  for_each    = toset(["x", "y"])
  vpc_id      = aws_vpc.v["hub"].id
  peer_vpc_id = aws_vpc.v[each.key].id
}

resource "aws_route_table" "hub" {
  vpc_id = aws_vpc.v["hub"].id
}

resource "aws_route" "hub" {
  for_each                  = toset(["x", "y"])
  route_table_id            = aws_route_table.hub.id
  destination_cidr_block    = aws_vpc.v[each.key].cidr_block
  vpc_peering_connection_id = aws_vpc_peering_connection.p[each.key].id
}

resource "aws_route_table" "spoke" {
  for_each = toset(["x", "y"])
  vpc_id   = aws_vpc.v[each.key].id

  route {
    cidr_block                = aws_vpc.v["hub"].cidr_block
    vpc_peering_connection_id = aws_vpc_peering_connection.p[each.key].id
  }
}

resource "aws_route_table_association" "hub" {
  subnet_id      = aws_subnet.s["hub"].id
  route_table_id = aws_route_table.hub.id
}

resource "aws_route_table_association" "spoke" {
  for_each       = toset(["x", "y"])
  subnet_id      = aws_subnet.s[each.key].id
  route_table_id = aws_route_table.spoke[each.key].id
}

output "x_peering_id" {
  value = aws_vpc_peering_connection.p["x"].id
}

output "y_peering_id" {
  value = aws_vpc_peering_connection.p["y"].id
}
