# A transit gateway route table that an attachment another configuration manages
# propagates into (named by ID: an egress VPC, or a VPN whose BGP routes may include a
# default route), beside a spoke VPC of this plan. The spoke sends everything to the
# gateway; the table holds no static route.
#
#   app 10.60.0.0/16 (subnet app): 0.0.0.0/0 -> hub; attached, associated with and
#   propagated into "spokes"; "spokes" also gets the propagation of tgw-attach-0123456789abcdef0.

resource "aws_ec2_transit_gateway" "hub" {
  description                     = "hub"
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
}

resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  tags               = { Name = "spokes" }
}

resource "aws_vpc" "app" {
  cidr_block = "10.60.0.0/16"
  tags       = { Name = "app" }
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.app.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.60.1.0/24"
  tags              = { Name = "app" }
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "app" {
  transit_gateway_id                              = aws_ec2_transit_gateway.hub.id
  vpc_id                                          = aws_vpc.app.id
  subnet_ids                                      = [aws_subnet.app.id]
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
}

resource "aws_ec2_transit_gateway_route_table_association" "app" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.app.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "app" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.app.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

# The egress (or VPN) attachment of another configuration.
resource "aws_ec2_transit_gateway_route_table_propagation" "egress" {
  transit_gateway_attachment_id  = "tgw-attach-0123456789abcdef0"
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}
