# Security groups that name a group of another VPC, across two transit gateways.
#
#   legacy  (security_group_referencing_support left at AWS's default, "disable")
#     app   10.10.0.0/16  aws_instance.app    group app
#     db    10.20.0.0/16  aws_instance.db     group db: 5432 from group app (a reference
#                                             AWS does not match across this gateway)
#   shared  (security_group_referencing_support = "enable"; attachments keep their
#            default, "enable")
#     app2  10.30.0.0/16  aws_instance.app2   group app2 (all egress)
#                         aws_instance.report group report: egress only to group db2
#                                             (outbound rules never match across a TGW)
#     db2   10.40.0.0/16  aws_instance.db2    group db2: 5432 from groups app2 and report
#
# Every VPC routes the other VPC on its gateway through the gateway; each gateway's
# default route table associates and propagates both attachments.

locals {
  vpcs = {
    app  = { cidr = "10.10.0.0/16", tgw = "legacy" }
    db   = { cidr = "10.20.0.0/16", tgw = "legacy" }
    app2 = { cidr = "10.30.0.0/16", tgw = "shared" }
    db2  = { cidr = "10.40.0.0/16", tgw = "shared" }
  }
  # Where each VPC's route table sends traffic: the other VPC on its gateway.
  peer = { app = "db", db = "app", app2 = "db2", db2 = "app2" }
}

resource "aws_ec2_transit_gateway" "legacy" {
  description = "legacy"
}

resource "aws_ec2_transit_gateway" "shared" {
  description                        = "shared"
  security_group_referencing_support = "enable"
}

resource "aws_vpc" "this" {
  for_each   = local.vpcs
  cidr_block = each.value.cidr
  tags       = { Name = each.key }
}

resource "aws_subnet" "this" {
  for_each          = local.vpcs
  vpc_id            = aws_vpc.this[each.key].id
  availability_zone = "us-east-1a"
  cidr_block        = cidrsubnet(each.value.cidr, 8, 1)
  tags              = { Name = each.key }
}

resource "aws_ec2_transit_gateway_vpc_attachment" "app" {
  transit_gateway_id = aws_ec2_transit_gateway.legacy.id
  vpc_id             = aws_vpc.this["app"].id
  subnet_ids         = [aws_subnet.this["app"].id]
}

resource "aws_ec2_transit_gateway_vpc_attachment" "db" {
  transit_gateway_id = aws_ec2_transit_gateway.legacy.id
  vpc_id             = aws_vpc.this["db"].id
  subnet_ids         = [aws_subnet.this["db"].id]
}

resource "aws_ec2_transit_gateway_vpc_attachment" "app2" {
  transit_gateway_id = aws_ec2_transit_gateway.shared.id
  vpc_id             = aws_vpc.this["app2"].id
  subnet_ids         = [aws_subnet.this["app2"].id]
}

resource "aws_ec2_transit_gateway_vpc_attachment" "db2" {
  transit_gateway_id = aws_ec2_transit_gateway.shared.id
  vpc_id             = aws_vpc.this["db2"].id
  subnet_ids         = [aws_subnet.this["db2"].id]
}

resource "aws_route_table" "this" {
  for_each = local.vpcs
  vpc_id   = aws_vpc.this[each.key].id
  tags     = { Name = each.key }
}

resource "aws_route_table_association" "this" {
  for_each       = local.vpcs
  subnet_id      = aws_subnet.this[each.key].id
  route_table_id = aws_route_table.this[each.key].id
}

resource "aws_route" "legacy" {
  for_each               = { app = "db", db = "app" }
  route_table_id         = aws_route_table.this[each.key].id
  destination_cidr_block = local.vpcs[each.value].cidr
  transit_gateway_id     = aws_ec2_transit_gateway.legacy.id
}

resource "aws_route" "shared" {
  for_each               = { app2 = "db2", db2 = "app2" }
  route_table_id         = aws_route_table.this[each.key].id
  destination_cidr_block = local.vpcs[each.value].cidr
  transit_gateway_id     = aws_ec2_transit_gateway.shared.id
}

# ---- legacy: app -> db on 5432, by group reference

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.this["app"].id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.this["db"].id
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.this["app"].id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_instance" "db" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.this["db"].id
  vpc_security_group_ids = [aws_security_group.db.id]
}

# ---- shared: app2 and report -> db2 on 5432, by group reference

resource "aws_security_group" "app2" {
  name   = "app2"
  vpc_id = aws_vpc.this["app2"].id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "report" {
  name   = "report"
  vpc_id = aws_vpc.this["app2"].id
  egress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.db2.id]
  }
}

resource "aws_security_group" "db2" {
  name   = "db2"
  vpc_id = aws_vpc.this["db2"].id
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app2.id]
  }
}

# A separate rule: db2's inline rules cannot name `report`, which names db2 (a cycle).
resource "aws_vpc_security_group_ingress_rule" "db2_from_report" {
  security_group_id            = aws_security_group.db2.id
  referenced_security_group_id = aws_security_group.report.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

resource "aws_instance" "app2" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.this["app2"].id
  vpc_security_group_ids = [aws_security_group.app2.id]
}

resource "aws_instance" "report" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.this["app2"].id
  vpc_security_group_ids = [aws_security_group.report.id]
}

resource "aws_instance" "db2" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.this["db2"].id
  vpc_security_group_ids = [aws_security_group.db2.id]
}
