# A transit gateway in the network account, shared with a workload account (Resource Access
# Manager in real life), whose VPC attachment the network account accepts. The network
# account associates and propagates the attachment by its accepter
# (aws_ec2_transit_gateway_vpc_attachment_accepter), the way such configurations name it.
#
#   network account: TGW hub (default table association/propagation off), table "shared";
#                    VPC shared 10.0.0.0/16 (subnet svc), attached, associated, propagated
#   workload account: VPC app 10.50.0.0/16 (subnet app), attached; the network account's
#                    accepter is associated with "shared" and propagated into it
#
#   app <-> svc: allowed both ways, through the hub and the "shared" table.

resource "aws_ec2_transit_gateway" "hub" {
  description                     = "hub"
  default_route_table_association = "disable"
  default_route_table_propagation = "disable"
  auto_accept_shared_attachments  = "disable"
}

resource "aws_ec2_transit_gateway_route_table" "shared" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  tags               = { Name = "shared" }
}

# --- network account: the shared-services VPC -------------------------------------------

resource "aws_vpc" "shared" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = "shared" }
}

resource "aws_subnet" "svc" {
  vpc_id            = aws_vpc.shared.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.1.0/24"
  tags              = { Name = "svc" }
}

resource "aws_route_table" "shared" {
  vpc_id = aws_vpc.shared.id
  route {
    cidr_block         = "10.50.0.0/16"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "shared" }
}

resource "aws_route_table_association" "svc" {
  subnet_id      = aws_subnet.svc.id
  route_table_id = aws_route_table.shared.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "shared" {
  transit_gateway_id                              = aws_ec2_transit_gateway.hub.id
  vpc_id                                          = aws_vpc.shared.id
  subnet_ids                                      = [aws_subnet.svc.id]
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
  tags                                            = { Name = "shared" }
}

resource "aws_ec2_transit_gateway_route_table_association" "shared" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.shared.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.shared.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "shared" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.shared.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.shared.id
}

# --- workload account ----------------------------------------------------------------------

resource "aws_vpc" "app" {
  provider   = aws.workload
  cidr_block = "10.50.0.0/16"
  tags       = { Name = "app" }
}

resource "aws_subnet" "app" {
  provider          = aws.workload
  vpc_id            = aws_vpc.app.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.50.1.0/24"
  tags              = { Name = "app" }
}

resource "aws_route_table" "app" {
  provider = aws.workload
  vpc_id   = aws_vpc.app.id
  route {
    cidr_block         = "10.0.0.0/16"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "app" }
}

resource "aws_route_table_association" "app" {
  provider       = aws.workload
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "app" {
  provider           = aws.workload
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.app.id
  subnet_ids         = [aws_subnet.app.id]
  tags               = { Name = "app" }
}

# --- network account: accept, associate, propagate ----------------------------------------

resource "aws_ec2_transit_gateway_vpc_attachment_accepter" "app" {
  transit_gateway_attachment_id                   = aws_ec2_transit_gateway_vpc_attachment.app.id
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
  tags                                            = { Name = "app" }
}

resource "aws_ec2_transit_gateway_route_table_association" "app" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment_accepter.app.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.shared.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "app" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment_accepter.app.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.shared.id
}
