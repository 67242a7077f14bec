# EC2 Instance Connect Endpoints (EICE) instead of a bastion, in two VPCs with a private
# subnet each (no IGW, no public IPs).
#
#   VPC "good": SG eice_good allows egress 22 to SG targets_good; targets_good allows 22
#               from eice_good -> SSH through the endpoint works (near miss for TFVPC205)
#   VPC "bad":  SG eice_bad allows egress 22 to the VPC, but targets_bad only admits 443
#               -> the endpoint cannot reach its targets (TFVPC205)
# Cross-references between the SGs use standalone rule resources (no dependency cycle).

locals {
  vpcs = {
    good = { cidr = "10.60.0.0/16", subnet = "10.60.1.0/24" }
    bad  = { cidr = "10.61.0.0/16", subnet = "10.61.1.0/24" }
  }
}

resource "aws_vpc" "this" {
  for_each   = local.vpcs
  cidr_block = each.value.cidr
  tags       = { Name = each.key }
}

resource "aws_subnet" "private" {
  for_each          = local.vpcs
  vpc_id            = aws_vpc.this[each.key].id
  availability_zone = "us-east-1a"
  cidr_block        = each.value.subnet
  tags              = { Name = "${each.key}-private" }
}

# --- VPC good ----------------------------------------------------------------------------

resource "aws_security_group" "eice_good" {
  name        = "eice-good"
  description = "EC2 Instance Connect Endpoint"
  vpc_id      = aws_vpc.this["good"].id
}

resource "aws_security_group" "targets_good" {
  name        = "targets-good"
  description = "instances reached through the endpoint"
  vpc_id      = aws_vpc.this["good"].id
}

resource "aws_vpc_security_group_egress_rule" "eice_good_ssh" {
  security_group_id            = aws_security_group.eice_good.id
  ip_protocol                  = "tcp"
  from_port                    = 22
  to_port                      = 22
  referenced_security_group_id = aws_security_group.targets_good.id
}

resource "aws_vpc_security_group_ingress_rule" "targets_good_ssh_from_eice" {
  security_group_id            = aws_security_group.targets_good.id
  ip_protocol                  = "tcp"
  from_port                    = 22
  to_port                      = 22
  referenced_security_group_id = aws_security_group.eice_good.id
}

resource "aws_ec2_instance_connect_endpoint" "good" {
  subnet_id          = aws_subnet.private["good"].id
  security_group_ids = [aws_security_group.eice_good.id]
  preserve_client_ip = false
}

resource "aws_instance" "good" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private["good"].id
  vpc_security_group_ids = [aws_security_group.targets_good.id]
  tags                   = { Name = "good-target" }
}

# --- VPC bad -----------------------------------------------------------------------------

resource "aws_security_group" "eice_bad" {
  name        = "eice-bad"
  description = "EC2 Instance Connect Endpoint"
  vpc_id      = aws_vpc.this["bad"].id

  egress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [local.vpcs.bad.cidr]
  }
}

# WRONG: the targets admit HTTPS only; nothing admits SSH from the endpoint (TFVPC205).
resource "aws_security_group" "targets_bad" {
  name        = "targets-bad"
  description = "instances meant to be reached through the endpoint"
  vpc_id      = aws_vpc.this["bad"].id

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [local.vpcs.bad.cidr]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_ec2_instance_connect_endpoint" "bad" {
  subnet_id          = aws_subnet.private["bad"].id
  security_group_ids = [aws_security_group.eice_bad.id]
}

resource "aws_instance" "bad" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private["bad"].id
  vpc_security_group_ids = [aws_security_group.targets_bad.id]
  tags                   = { Name = "bad-target" }
}
