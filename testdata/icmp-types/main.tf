# ICMP by type and code: the app subnet's network ACL lets pings (echo request, type 8) in
# and their echo replies (type 0) out, nothing else of ICMP.
resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.40.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "ops" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.40.2.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_network_acl" "app" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.app.id]

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "icmp"
    icmp_type  = 8
    icmp_code  = -1
    cidr_block = aws_vpc.main.cidr_block
    from_port  = 0
    to_port    = 0
  }
  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "tcp"
    cidr_block = aws_vpc.main.cidr_block
    from_port  = 443
    to_port    = 443
  }
  # Replies to the app's own connections.
  ingress {
    rule_no    = 120
    action     = "allow"
    protocol   = "tcp"
    cidr_block = aws_vpc.main.cidr_block
    from_port  = 1024
    to_port    = 65535
  }
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "icmp"
    icmp_type  = 0
    icmp_code  = -1
    cidr_block = aws_vpc.main.cidr_block
    from_port  = 0
    to_port    = 0
  }
  egress {
    rule_no    = 110
    action     = "allow"
    protocol   = "tcp"
    cidr_block = aws_vpc.main.cidr_block
    from_port  = 1024
    to_port    = 65535
  }
}

# The app answers pings from ops only.
resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.main.id
  ingress {
    protocol        = "icmp"
    from_port       = 8
    to_port         = -1
    security_groups = [aws_security_group.ops.id]
  }
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
}

resource "aws_security_group" "ops" {
  name   = "ops"
  vpc_id = aws_vpc.main.id
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_instance" "ops" {
  ami                    = "ami-0123456789abcdef0"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.ops.id
  vpc_security_group_ids = [aws_security_group.ops.id]
}

# A monitoring subnet whose network ACL was meant to let all ICMP in, but an
# `aws_network_acl_rule` for ICMP without `icmp_type` is type 0 code 0 (echo reply) only.
resource "aws_subnet" "monitor" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.40.3.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_network_acl" "monitor" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.monitor.id]
}

resource "aws_network_acl_rule" "monitor_icmp_in" {
  network_acl_id = aws_network_acl.monitor.id
  rule_number    = 100
  egress         = false
  protocol       = "icmp"
  rule_action    = "allow"
  cidr_block     = aws_vpc.main.cidr_block
}

resource "aws_network_acl_rule" "monitor_out" {
  network_acl_id = aws_network_acl.monitor.id
  rule_number    = 100
  egress         = true
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = aws_vpc.main.cidr_block
}
