# Network ACLs at the subnets of transit gateway attachments, as AWS applies them
# (Transit Gateway guide, "Network ACLs for transit gateways"):
#
#   VPC app  10.1.0.0/16  subnet app 10.1.1.0/24 (1a), NACL app: allows everything
#                         subnet tgw 10.1.0.0/28 (1a), the attachment's own subnet,
#                           NACL tgw: in  tcp 443 from 10.1.0.0/16
#                                     out tcp 1024-65535 to 10.1.0.0/16
#   VPC data 10.2.0.0/16  subnet db  10.2.1.0/24 (1a), instances AND the attachment,
#                           NACL db:  in  rule 100 denies all from 10.1.0.0/16,
#                                         rule 200 allows all; out allows all
#                         subnet web 10.2.2.0/24 (1a), the VPC's default NACL
#
#   app -> db:  only tcp 443, which the tgw subnet's inbound rules admit on the way to the
#               gateway. db's rule 100 does not apply: traffic from a transit gateway to
#               its attachment's own subnet meets no NACL.
#   app -> web: tcp 443; web is entered through db (the attachment's subnet in 1a), whose
#               outbound rules allow it.
#   db -> app:  blocked: the requests leave the tgw subnet (outbound: ephemeral ports
#               only), but app's replies to the gateway meet the tgw subnet's inbound rules,
#               which admit tcp 443 only.

resource "aws_ec2_transit_gateway" "hub" {
  description = "hub"
}

resource "aws_vpc" "app" {
  cidr_block = "10.1.0.0/16"
  tags       = { Name = "app" }
}

resource "aws_vpc" "data" {
  cidr_block = "10.2.0.0/16"
  tags       = { Name = "data" }
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.app.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.1.1.0/24"
  tags              = { Name = "app" }
}

resource "aws_subnet" "tgw" {
  vpc_id            = aws_vpc.app.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.1.0.0/28"
  tags              = { Name = "tgw" }
}

resource "aws_subnet" "db" {
  vpc_id            = aws_vpc.data.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.2.1.0/24"
  tags              = { Name = "db" }
}

resource "aws_subnet" "web" {
  vpc_id            = aws_vpc.data.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.2.2.0/24"
  tags              = { Name = "web" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "app" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.app.id
  subnet_ids         = [aws_subnet.tgw.id]
  tags               = { Name = "app" }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "data" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.data.id
  subnet_ids         = [aws_subnet.db.id]
  tags               = { Name = "data" }
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id
  route {
    cidr_block         = "10.2.0.0/16"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "app" }
}

resource "aws_route_table" "data" {
  vpc_id = aws_vpc.data.id
  route {
    cidr_block         = "10.1.0.0/16"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
  tags = { Name = "data" }
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

resource "aws_route_table_association" "tgw" {
  subnet_id      = aws_subnet.tgw.id
  route_table_id = aws_route_table.app.id
}

resource "aws_route_table_association" "db" {
  subnet_id      = aws_subnet.db.id
  route_table_id = aws_route_table.data.id
}

resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.data.id
}

resource "aws_network_acl" "app" {
  vpc_id     = aws_vpc.app.id
  subnet_ids = [aws_subnet.app.id]
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
  tags = { Name = "app" }
}

resource "aws_network_acl" "tgw" {
  vpc_id     = aws_vpc.app.id
  subnet_ids = [aws_subnet.tgw.id]
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "10.1.0.0/16"
    from_port  = 443
    to_port    = 443
  }
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    cidr_block = "10.1.0.0/16"
    from_port  = 1024
    to_port    = 65535
  }
  tags = { Name = "tgw" }
}

resource "aws_network_acl" "db" {
  vpc_id     = aws_vpc.data.id
  subnet_ids = [aws_subnet.db.id]
  ingress {
    rule_no    = 100
    action     = "deny"
    protocol   = "-1"
    cidr_block = "10.1.0.0/16"
    from_port  = 0
    to_port    = 0
  }
  ingress {
    rule_no    = 200
    action     = "allow"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
  tags = { Name = "db" }
}
