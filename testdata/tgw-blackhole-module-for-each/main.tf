# A blackhole route of a transit gateway whose route table is named through a module
# output that terraform's plan JSON lists without its name (`module.x[each.key].out` is
# written as `module.x` and `each.key`): the module has two outputs naming route tables,
# so which table drops 10.2.5.0/24 is not known at plan time; it may be the one a's
# attachment is associated with (named with a constant key).

resource "aws_ec2_transit_gateway" "hub" {
  description                     = "hub"
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}

module "tables" {
  source   = "./modules/tables"
  for_each = { a = "a" }

  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}

resource "aws_vpc" "a" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.a.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "a" {
  vpc_id = aws_vpc.a.id

  route {
    cidr_block         = "10.0.0.0/8"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.a.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "a" {
  transit_gateway_id                              = aws_ec2_transit_gateway.hub.id
  vpc_id                                          = aws_vpc.a.id
  subnet_ids                                      = [aws_subnet.a.id]
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
}

resource "aws_ec2_transit_gateway_route_table_association" "a" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.a.id
  transit_gateway_route_table_id = module.tables["a"].id
}

# b: its subnets are what a reaches through the hub; b5 is the quarantined range.
resource "aws_vpc" "b" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.b.id
  cidr_block        = "10.2.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b5" {
  vpc_id            = aws_vpc.b.id
  cidr_block        = "10.2.5.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_ec2_transit_gateway_vpc_attachment" "b" {
  transit_gateway_id                              = aws_ec2_transit_gateway.hub.id
  vpc_id                                          = aws_vpc.b.id
  subnet_ids                                      = [aws_subnet.b.id]
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
}

resource "aws_route_table" "b" {
  vpc_id = aws_vpc.b.id

  route {
    cidr_block         = "10.0.0.0/8"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}

resource "aws_route_table_association" "b" {
  for_each = { b = aws_subnet.b.id, b5 = aws_subnet.b5.id }

  subnet_id      = each.value
  route_table_id = aws_route_table.b.id
}

# b's own table, with the way back to a.
resource "aws_ec2_transit_gateway_route_table" "b" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}

resource "aws_ec2_transit_gateway_route_table_association" "b" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.b.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.b.id
}

resource "aws_ec2_transit_gateway_route" "to_a" {
  destination_cidr_block         = "10.1.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.a.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.b.id
}

resource "aws_ec2_transit_gateway_route" "to_b" {
  destination_cidr_block         = "10.2.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.b.id
  transit_gateway_route_table_id = module.tables["a"].id
}

resource "aws_ec2_transit_gateway_route" "drop" {
  for_each = { a = "a" }

  destination_cidr_block         = "10.2.5.0/24"
  blackhole                      = true
  transit_gateway_route_table_id = module.tables[each.key].id
}
