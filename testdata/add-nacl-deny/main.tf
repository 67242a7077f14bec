# Change: the db subnet's NACL gets deny rules for the web subnet's CIDR, numbered below the
# allow rules so they match first (aws_network_acl.db, updated in place). Closes web -> db
# (dropped by db's NACL inbound rule 50) and db -> web (dropped by db's NACL outbound rule 50).
# No other path changes: db keeps reaching other VPC addresses, web keeps its internet route.

resource "aws_vpc" "main" {
  cidr_block = "10.5.0.0/16"
  tags       = { Name = "add-nacl-deny" }
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "web" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.5.1.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "web" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}

resource "aws_subnet" "db" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.5.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_network_acl" "db" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.db.id]

  # new: quarantine the web subnet
  ingress {
    rule_no    = 50
    action     = "deny"
    protocol   = "-1"
    cidr_block = "10.5.1.0/24"
    from_port  = 0
    to_port    = 0
  }

  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.5.0.0/16"
    from_port  = 0
    to_port    = 0
  }

  # new
  egress {
    rule_no    = 50
    action     = "deny"
    protocol   = "-1"
    cidr_block = "10.5.1.0/24"
    from_port  = 0
    to_port    = 0
  }

  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    cidr_block = "10.5.0.0/16"
    from_port  = 0
    to_port    = 0
  }
}
