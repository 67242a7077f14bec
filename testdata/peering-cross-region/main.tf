# An app VPC in us-east-1 peered with a database VPC in the same Region and with a
# reporting VPC in us-west-2. Both databases admit 5432 from the app's group by reference:
# AWS matches it across the peering within the Region, and not across Regions.
#
#   app     10.10.0.0/16  us-east-1  aws_instance.app     group app
#   db      10.20.0.0/16  us-east-1  aws_instance.db      group db: 5432 from group app
#   reports 10.30.0.0/16  us-west-2  aws_instance.reports group reports: 5432 from group app

resource "aws_vpc" "app" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_vpc" "db" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_vpc" "reports" {
  provider   = aws.west
  cidr_block = "10.30.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.app.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.10.1.0/24"
}

resource "aws_subnet" "db" {
  vpc_id            = aws_vpc.db.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.20.1.0/24"
}

resource "aws_subnet" "reports" {
  provider          = aws.west
  vpc_id            = aws_vpc.reports.id
  availability_zone = "us-west-2a"
  cidr_block        = "10.30.1.0/24"
}

# ---- app <-> db: one Region, auto-accepted

resource "aws_vpc_peering_connection" "app_db" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.db.id
  auto_accept = true
}

# ---- app <-> reports: across Regions, accepted in us-west-2

resource "aws_vpc_peering_connection" "app_reports" {
  vpc_id      = aws_vpc.app.id
  peer_vpc_id = aws_vpc.reports.id
  peer_region = "us-west-2"
}

resource "aws_vpc_peering_connection_accepter" "app_reports" {
  provider                  = aws.west
  vpc_peering_connection_id = aws_vpc_peering_connection.app_reports.id
  auto_accept               = true
}

resource "aws_route_table" "app" {
  vpc_id = aws_vpc.app.id
}

resource "aws_route" "app_db" {
  route_table_id            = aws_route_table.app.id
  destination_cidr_block    = "10.20.0.0/16"
  vpc_peering_connection_id = aws_vpc_peering_connection.app_db.id
}

resource "aws_route" "app_reports" {
  route_table_id            = aws_route_table.app.id
  destination_cidr_block    = "10.30.0.0/16"
  vpc_peering_connection_id = aws_vpc_peering_connection.app_reports.id
}

resource "aws_route_table" "db" {
  vpc_id = aws_vpc.db.id
  route {
    cidr_block                = "10.10.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.app_db.id
  }
}

resource "aws_route_table" "reports" {
  provider = aws.west
  vpc_id   = aws_vpc.reports.id
  route {
    cidr_block                = "10.10.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.app_reports.id
  }
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

resource "aws_route_table_association" "db" {
  subnet_id      = aws_subnet.db.id
  route_table_id = aws_route_table.db.id
}

resource "aws_route_table_association" "reports" {
  provider       = aws.west
  subnet_id      = aws_subnet.reports.id
  route_table_id = aws_route_table.reports.id
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.app.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = aws_vpc.db.id
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_security_group" "reports" {
  provider = aws.west
  name     = "reports"
  vpc_id   = aws_vpc.reports.id
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
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_instance" "db" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.db.id
  vpc_security_group_ids = [aws_security_group.db.id]
}

resource "aws_instance" "reports" {
  provider               = aws.west
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.reports.id
  vpc_security_group_ids = [aws_security_group.reports.id]
}
