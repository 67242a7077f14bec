# A VPC from a module called with for_each, whose default network ACL the root locks down
# (no rules: deny all) through `module.net[each.key].default_network_acl_id`, which
# terraform's plan JSON lists as `module.net` and `each.key` only. The module has three
# outputs naming a VPC, so which VPC's default NACL it is cannot be told: the default NACL
# of every VPC without one of its own may deny everything.

module "net" {
  source   = "./modules/net"
  for_each = { a = "10.1.0.0/16" }

  cidr = each.value
}

resource "aws_default_network_acl" "lockdown" {
  for_each = { a = "10.1.0.0/16" }

  default_network_acl_id = module.net[each.key].default_network_acl_id
}

# A VPC of the root with two subnets and no NACL of its own.
resource "aws_vpc" "root" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "root" {
  for_each = { a = "10.2.1.0/24", b = "10.2.2.0/24" }

  vpc_id            = aws_vpc.root.id
  cidr_block        = each.value
  availability_zone = "us-east-1a"
}

# A VPC whose default NACL the root manages by reference: it stays allow-all.
resource "aws_vpc" "managed" {
  cidr_block = "10.3.0.0/16"
}

resource "aws_default_network_acl" "managed" {
  default_network_acl_id = aws_vpc.managed.default_network_acl_id

  ingress {
    protocol   = -1
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  egress {
    protocol   = -1
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }

  lifecycle {
    ignore_changes = [subnet_ids]
  }
}

resource "aws_subnet" "managed" {
  for_each = { a = "10.3.1.0/24", b = "10.3.2.0/24" }

  vpc_id            = aws_vpc.managed.id
  cidr_block        = each.value
  availability_zone = "us-east-1a"
}
