# Rules and NACL entries whose CIDR is a module output (or a module input set from one) that
# passes on the VPC's Amazon-provided IPv6 block, known only after apply: a block inside the
# VPC, never the internet.

module "net" {
  source = "./modules/net"
}

# Everything from the VPC's IPv6 block, through the module's input.
module "web_sg" {
  source                   = "./modules/sg"
  name                     = "web"
  vpc_id                   = module.net.vpc_id
  trusted_ipv6_cidr_blocks = [module.net.vpc_ipv6_cidr_block]
}

resource "aws_instance" "web" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = module.net.public_subnet_id
  ipv6_address_count     = 1
  vpc_security_group_ids = [module.web_sg.id]
}

# Everything from the public subnet's IPv6 block, through the module's output.
resource "aws_security_group" "api" {
  name   = "api"
  vpc_id = module.net.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "api_https" {
  security_group_id = aws_security_group.api.id
  cidr_ipv6         = "::/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "api_from_subnet" {
  security_group_id = aws_security_group.api.id
  cidr_ipv6         = module.net.public_subnet_ipv6_cidr_block
  ip_protocol       = "-1"
}

resource "aws_instance" "api" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = module.net.public_subnet_id
  ipv6_address_count     = 1
  vpc_security_group_ids = [aws_security_group.api.id]
}

# SSH from an address known only after apply that is not the VPC's: it may be anyone's.
resource "aws_security_group" "admin" {
  name   = "admin"
  vpc_id = module.net.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "admin_ssh" {
  security_group_id = aws_security_group.admin.id
  cidr_ipv4         = module.net.bastion_cidr
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
}

resource "aws_instance" "admin" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = module.net.public_subnet_id
  vpc_security_group_ids = [aws_security_group.admin.id]
}

# The public subnet's NACL denies the VPC's own IPv6 block first, then admits everything.
resource "aws_network_acl" "public" {
  vpc_id     = module.net.vpc_id
  subnet_ids = [module.net.public_subnet_id]
}

resource "aws_network_acl_rule" "deny_vpc_v6" {
  network_acl_id  = aws_network_acl.public.id
  rule_number     = 90
  egress          = false
  protocol        = "-1"
  rule_action     = "deny"
  ipv6_cidr_block = module.net.vpc_ipv6_cidr_block
}

resource "aws_network_acl_rule" "in_v4" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 100
  egress         = false
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_network_acl_rule" "in_v6" {
  network_acl_id  = aws_network_acl.public.id
  rule_number     = 101
  egress          = false
  protocol        = "-1"
  rule_action     = "allow"
  ipv6_cidr_block = "::/0"
}

resource "aws_network_acl_rule" "out_v4" {
  network_acl_id = aws_network_acl.public.id
  rule_number    = 100
  egress         = true
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_network_acl_rule" "out_v6" {
  network_acl_id  = aws_network_acl.public.id
  rule_number     = 101
  egress          = true
  protocol        = "-1"
  rule_action     = "allow"
  ipv6_cidr_block = "::/0"
}

# Everything from the private subnets' IPv6 blocks (a splat module output), and SSH from the
# NAT addresses (a `for` output over EIPs, which may be anyone's).
resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = module.net.vpc_id
}

resource "aws_security_group_rule" "db_from_private" {
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  ipv6_cidr_blocks  = module.net.private_subnets_ipv6_cidr_blocks
}

resource "aws_security_group_rule" "db_ssh_from_nat" {
  type              = "ingress"
  security_group_id = aws_security_group.db.id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = module.net.nat_cidrs
}

resource "aws_instance" "db" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = module.net.public_subnet_id
  ipv6_address_count     = 1
  vpc_security_group_ids = [aws_security_group.db.id]
}

# The private subnets admit IPv6 only from their own blocks (elements of a splat module
# output), and send it anywhere.
resource "aws_network_acl" "private" {
  vpc_id     = module.net.vpc_id
  subnet_ids = module.net.private_subnet_ids
}

resource "aws_network_acl_rule" "private_in_v6" {
  count           = 2
  network_acl_id  = aws_network_acl.private.id
  rule_number     = 100 + count.index
  egress          = false
  protocol        = "-1"
  rule_action     = "allow"
  ipv6_cidr_block = module.net.private_subnets_ipv6_cidr_blocks[count.index]
}

resource "aws_network_acl_rule" "private_out_v6" {
  network_acl_id  = aws_network_acl.private.id
  rule_number     = 100
  egress          = true
  protocol        = "-1"
  rule_action     = "allow"
  ipv6_cidr_block = "::/0"
}

# A managed prefix list of the private subnets' IPv6 blocks (entry resources), which
# `aws_security_group.cache` admits everything from.
resource "aws_ec2_managed_prefix_list" "private_v6" {
  name           = "private-v6"
  address_family = "IPv6"
  max_entries    = 2
}

resource "aws_ec2_managed_prefix_list_entry" "private_v6" {
  count          = 2
  prefix_list_id = aws_ec2_managed_prefix_list.private_v6.id
  cidr           = module.net.private_subnets_ipv6_cidr_blocks[count.index]
}

resource "aws_security_group" "cache" {
  name   = "cache"
  vpc_id = module.net.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "cache_from_private" {
  security_group_id = aws_security_group.cache.id
  prefix_list_id    = aws_ec2_managed_prefix_list.private_v6.id
  ip_protocol       = "-1"
}

resource "aws_instance" "cache" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = module.net.public_subnet_id
  ipv6_address_count     = 1
  vpc_security_group_ids = [aws_security_group.cache.id]
}
