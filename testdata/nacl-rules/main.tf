# Network ACLs in every form. All five subnets are public (0.0.0.0/0 -> IGW, public IPs) so
# only the NACLs decide whether the internet reaches them. Security groups are not involved.
#
#   web_bad   10.0.1.0/24  nacl "no_return": allows 443 in, egress only 443   -> TFVPC110
#                                           (the reply goes to an ephemeral port and is dropped)
#   web_good  10.0.2.0/24  nacl "web": 443 + 1024-65535 in and out (replies both ways) -> near miss for 110
#   legacy    10.0.3.0/24  no NACL of its own: the VPC's default NACL, which
#                          aws_default_network_acl limits to VPC-internal traffic -> internet blocked
#   api       10.0.4.0/24  nacl "rules" built from aws_network_acl_rule resources, attached by
#                          aws_network_acl_association: 80 and 1024-65535 in, 1024-65535 out
#                          -> internet -> api on 80 allowed
#   shadowed  10.0.5.0/24  nacl "shadowed": rule 100 DENY tcp 0-1023 shadows rule 200 ALLOW 443
#                          -> internet -> shadowed on 443 is blocked at rule 100

locals {
  subnets = {
    web_bad  = { cidr = "10.0.1.0/24", az = "us-east-1a" }
    web_good = { cidr = "10.0.2.0/24", az = "us-east-1b" }
    legacy   = { cidr = "10.0.3.0/24", az = "us-east-1c" }
    api      = { cidr = "10.0.4.0/24", az = "us-east-1a" }
    shadowed = { cidr = "10.0.5.0/24", az = "us-east-1b" }
  }
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "this" {
  for_each                = local.subnets
  vpc_id                  = aws_vpc.main.id
  availability_zone       = each.value.az
  cidr_block              = each.value.cidr
  map_public_ip_on_launch = true
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "this" {
  for_each       = aws_subnet.this
  subnet_id      = each.value.id
  route_table_id = aws_route_table.public.id
}

# WRONG: HTTPS requests get in, replies (to the client's ephemeral port) cannot get out (TFVPC110).
resource "aws_network_acl" "no_return" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.this["web_bad"].id]

  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }

  egress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }
}

# Correct (near miss for TFVPC110): every request it lets through can be answered.
#   in 443 -> reply out to an ephemeral port;  out 443 / 1024-65535 -> reply in on an ephemeral port.
resource "aws_network_acl" "web" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.this["web_good"].id]

  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }

  ingress {
    rule_no    = 110
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 1024
    to_port    = 65535
  }

  egress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }

  egress {
    rule_no    = 110
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 1024
    to_port    = 65535
  }
}

# The VPC's default NACL (used by "legacy"): VPC-internal traffic only.
resource "aws_default_network_acl" "default" {
  default_network_acl_id = aws_vpc.main.default_network_acl_id

  ingress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = aws_vpc.main.cidr_block
    from_port  = 0
    to_port    = 0
  }

  egress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = aws_vpc.main.cidr_block
    from_port  = 0
    to_port    = 0
  }

  # Subnets with no NACL of their own fall back to this one; terraform need not list them.
  lifecycle {
    ignore_changes = [subnet_ids]
  }
}

# A NACL whose rules are separate resources, attached with aws_network_acl_association.
resource "aws_network_acl" "rules" {
  vpc_id = aws_vpc.main.id
}

resource "aws_network_acl_rule" "rules_http_in" {
  network_acl_id = aws_network_acl.rules.id
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 80
  to_port        = 80
}

resource "aws_network_acl_rule" "rules_ephemeral_in" {
  network_acl_id = aws_network_acl.rules.id
  rule_number    = 110
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 1024
  to_port        = 65535
}

resource "aws_network_acl_rule" "rules_ephemeral_out" {
  network_acl_id = aws_network_acl.rules.id
  rule_number    = 100
  egress         = true
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 1024
  to_port        = 65535
}

resource "aws_network_acl_association" "api" {
  network_acl_id = aws_network_acl.rules.id
  subnet_id      = aws_subnet.this["api"].id
}

# Rule 100 (deny) is evaluated before rule 200 (allow): the allow never matches.
resource "aws_network_acl" "shadowed" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.this["shadowed"].id]

  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "deny"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 1023
  }

  ingress {
    rule_no    = 200
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }

  ingress {
    rule_no    = 300
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 1024
    to_port    = 65535
  }

  egress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 1024
    to_port    = 65535
  }
}
