# The whole internet written other than as 0.0.0.0/0 or ::/0: every public IPv6 address is
# in 2000::/3 (global unicast), and 0.0.0.0/1 with 128.0.0.0/1 is every IPv4 address.
# - `aws_route_table.dual` sends ::/0 to an egress-only gateway, and 2000::/3 to the
#   internet gateway: by longest prefix, all of the IPv6 internet goes both ways through
#   the internet gateway.
# - `aws_network_acl.app` admits 2000::/3 (and nothing else over IPv6).
# - Security groups: SSH from the two IPv4 halves (`halves`), RDP from 2000::/3
#   (`global`), SSH through a prefix list whose one entry is ::/0 (`listed`).

resource "aws_vpc" "main" {
  cidr_block                       = "10.90.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_egress_only_internet_gateway" "eigw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "app" {
  vpc_id                          = aws_vpc.main.id
  availability_zone               = "us-east-1a"
  cidr_block                      = "10.90.1.0/24"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
  map_public_ip_on_launch         = true
  assign_ipv6_address_on_creation = true
}

resource "aws_route_table" "dual" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
  route {
    ipv6_cidr_block        = "::/0"
    egress_only_gateway_id = aws_egress_only_internet_gateway.eigw.id
  }
  route {
    ipv6_cidr_block = "2000::/3"
    gateway_id      = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.dual.id
}

resource "aws_network_acl" "app" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.app.id]
  ingress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
  ingress {
    rule_no         = 110
    protocol        = "-1"
    action          = "allow"
    ipv6_cidr_block = "2000::/3"
    from_port       = 0
    to_port         = 0
  }
  egress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
  egress {
    rule_no         = 110
    protocol        = "-1"
    action          = "allow"
    ipv6_cidr_block = "2000::/3"
    from_port       = 0
    to_port         = 0
  }
}

resource "aws_security_group" "halves" {
  name   = "halves"
  vpc_id = aws_vpc.main.id
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/1", "128.0.0.0/1"]
  }
}

resource "aws_security_group" "global" {
  name   = "global"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "global_rdp" {
  security_group_id = aws_security_group.global.id
  cidr_ipv6         = "2000::/3"
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
}

resource "aws_ec2_managed_prefix_list" "anywhere6" {
  name           = "anywhere6"
  address_family = "IPv6"
  max_entries    = 1
  entry {
    cidr = "::/0"
  }
}

resource "aws_security_group" "listed" {
  name   = "listed"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "listed_ssh" {
  security_group_id = aws_security_group.listed.id
  prefix_list_id    = aws_ec2_managed_prefix_list.anywhere6.id
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
}

resource "aws_instance" "app" {
  for_each               = { halves = aws_security_group.halves.id, global = aws_security_group.global.id, listed = aws_security_group.listed.id }
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [each.value]
}
