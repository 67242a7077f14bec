# Rules whose ports or CIDR come from values known only after apply: the port of a database
# that sets none (AWS picks the engine's default) and the VPC's Amazon-provided IPv6 block.

resource "aws_vpc" "main" {
  cidr_block                       = "10.20.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id                          = aws_vpc.main.id
  cidr_block                      = "10.20.1.0/24"
  ipv6_cidr_block                 = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
  assign_ipv6_address_on_creation = true
  availability_zone               = "us-east-1a"
  map_public_ip_on_launch         = true
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.2.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "db" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.${10 + count.index}.0/24"
  ipv6_cidr_block   = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 10 + count.index)
  availability_zone = count.index == 0 ? "us-east-1a" : "us-east-1b"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

# The database sets no port: the plan does not know it.
resource "aws_db_subnet_group" "db" {
  name       = "db"
  subnet_ids = aws_subnet.db[*].id
}

resource "aws_db_instance" "db" {
  identifier             = "orders"
  engine                 = "postgres"
  instance_class         = "db.t4g.micro"
  allocated_storage      = 20
  username               = "orders"
  password               = "not-a-real-password"
  db_subnet_group_name   = aws_db_subnet_group.db.name
  vpc_security_group_ids = [aws_security_group.db.id]
  skip_final_snapshot    = true
}

resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "db_from_app" {
  security_group_id            = aws_security_group.db.id
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
}

# The app may open connections to the database's port, whichever it is.
resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.main.id
  egress {
    protocol    = "tcp"
    from_port   = aws_db_instance.db.port
    to_port     = aws_db_instance.db.port
    cidr_blocks = [for s in aws_subnet.db : s.cidr_block]
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

# A proxy on the public subnet forwards the database port: open to the world on a port the
# plan does not know (it is not SSH, but nothing in the plan says so).
resource "aws_security_group" "proxy" {
  name   = "proxy"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "proxy_world" {
  security_group_id = aws_security_group.proxy.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = aws_db_instance.db.port
  to_port           = aws_db_instance.db.port
}

resource "aws_instance" "proxy" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public.id
  vpc_security_group_ids = [aws_security_group.proxy.id]
}

# The database subnets' NACL: the database port from the app subnet, replies out; IPv6
# from the VPC's own block (not known until apply) is denied first.
resource "aws_network_acl" "db" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = aws_subnet.db[*].id
}

resource "aws_network_acl_rule" "db_deny_v6" {
  network_acl_id  = aws_network_acl.db.id
  rule_number     = 90
  egress          = false
  protocol        = "-1"
  rule_action     = "deny"
  ipv6_cidr_block = aws_vpc.main.ipv6_cidr_block
}

resource "aws_network_acl_rule" "db_in" {
  network_acl_id = aws_network_acl.db.id
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = aws_subnet.app.cidr_block
  from_port      = aws_db_instance.db.port
  to_port        = aws_db_instance.db.port
}

resource "aws_network_acl_rule" "db_out" {
  network_acl_id = aws_network_acl.db.id
  rule_number    = 100
  egress         = true
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = aws_subnet.app.cidr_block
  from_port      = 1024
  to_port        = 65535
}

# The public subnet's NACL, inline: IPv6 from the VPC's own block is denied (a CIDR not
# known until apply, which makes the whole ingress list unknown in the plan).
resource "aws_network_acl" "public" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.public.id]
  ingress {
    rule_no         = 90
    protocol        = "-1"
    action          = "deny"
    ipv6_cidr_block = aws_vpc.main.ipv6_cidr_block
    from_port       = 0
    to_port         = 0
  }
  ingress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
  ingress {
    rule_no         = 101
    protocol        = "-1"
    action          = "allow"
    ipv6_cidr_block = "::/0"
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
    rule_no         = 101
    protocol        = "-1"
    action          = "allow"
    ipv6_cidr_block = "::/0"
    from_port       = 0
    to_port         = 0
  }
}

# A dual-stack web server: HTTPS from anywhere, everything from the VPC's own IPv6 block
# (not known until apply, but never the internet).
resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "web_https" {
  security_group_id = aws_security_group.web.id
  cidr_ipv6         = "::/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_ingress_rule" "web_from_vpc" {
  security_group_id = aws_security_group.web.id
  cidr_ipv6         = aws_vpc.main.ipv6_cidr_block
  ip_protocol       = "-1"
}

resource "aws_instance" "web" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public.id
  ipv6_address_count     = 1
  vpc_security_group_ids = [aws_security_group.web.id]
}

# The database subnets route the IPv6 block of a peered VPC (Amazon-provided, not known
# until apply) and have no default route: that block is never the internet's route.
resource "aws_vpc" "peer" {
  cidr_block                       = "10.30.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_vpc_peering_connection" "peer" {
  vpc_id      = aws_vpc.main.id
  peer_vpc_id = aws_vpc.peer.id
  auto_accept = true
}

resource "aws_route_table" "db" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "db_to_peer_v6" {
  route_table_id              = aws_route_table.db.id
  destination_ipv6_cidr_block = aws_vpc.peer.ipv6_cidr_block
  vpc_peering_connection_id   = aws_vpc_peering_connection.peer.id
}

resource "aws_route_table_association" "db" {
  count          = 2
  subnet_id      = aws_subnet.db[count.index].id
  route_table_id = aws_route_table.db.id
}
