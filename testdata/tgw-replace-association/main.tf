# A transit gateway with default association and propagation on. `shared` and `app` keep
# the attachment's defaults (associated with, and propagated into, the default table);
# `app` is also associated with the table `isolated`, with replace_existing_association =
# true: AWS associates an attachment with one table, so the provider first removes its
# default association. `isolated` routes only to `shared`.

resource "aws_ec2_transit_gateway" "hub" {
  description = "hub"
}

resource "aws_ec2_transit_gateway_route_table" "isolated" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
}

resource "aws_vpc" "vpc" {
  for_each   = { shared = "10.1.0.0/16", app = "10.2.0.0/16", other = "10.3.0.0/16" }
  cidr_block = each.value
}

resource "aws_subnet" "s" {
  for_each          = aws_vpc.vpc
  vpc_id            = each.value.id
  cidr_block        = cidrsubnet(each.value.cidr_block, 8, 1)
  availability_zone = "us-east-1a"
}

resource "aws_ec2_transit_gateway_vpc_attachment" "a" {
  for_each           = aws_vpc.vpc
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = each.value.id
  subnet_ids         = [aws_subnet.s[each.key].id]
}

resource "aws_route_table" "rt" {
  for_each = aws_vpc.vpc
  vpc_id   = each.value.id
  route {
    cidr_block         = "10.0.0.0/8"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}

resource "aws_route_table_association" "rt" {
  for_each       = aws_subnet.s
  subnet_id      = each.value.id
  route_table_id = aws_route_table.rt[each.key].id
}

resource "aws_ec2_transit_gateway_route_table_association" "app" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.a["app"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.isolated.id
  replace_existing_association   = true
}

resource "aws_ec2_transit_gateway_route" "isolated_shared" {
  destination_cidr_block         = "10.1.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.a["shared"].id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.isolated.id
}
