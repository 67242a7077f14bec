# An application stack over the shared network of base/, which it finds with data sources
# (its own state holds nothing yet): a public web subnet routed to the shared internet
# gateway, an app subnet associated with the shared private route table (default route to
# the shared NAT gateway), SSH to the app only from the shared bastion group.

data "aws_vpc" "shared" {
  tags = { Name = "shared" }
}

data "aws_internet_gateway" "shared" {
  filter {
    name   = "attachment.vpc-id"
    values = [data.aws_vpc.shared.id]
  }
}

data "aws_nat_gateway" "shared" {
  vpc_id = data.aws_vpc.shared.id
  tags   = { Name = "shared" }
}

data "aws_route_table" "private" {
  vpc_id = data.aws_vpc.shared.id
  tags   = { Name = "shared-private" }
}

data "aws_ec2_managed_prefix_list" "office" {
  name = "office"
}

data "aws_prefix_list" "s3" {
  name = "com.amazonaws.us-east-1.s3"
}

data "aws_security_group" "bastion" {
  vpc_id = data.aws_vpc.shared.id
  name   = "bastion"
}

resource "aws_subnet" "web" {
  vpc_id                  = data.aws_vpc.shared.id
  cidr_block              = "10.20.10.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "web" {
  vpc_id = data.aws_vpc.shared.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = data.aws_internet_gateway.shared.id
  }
}

resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}

# The web subnet's own NACL: HTTPS in and replies out. The app subnet keeps the VPC's
# default NACL, whose rules no data source reads.
resource "aws_network_acl" "web" {
  vpc_id     = data.aws_vpc.shared.id
  subnet_ids = [aws_subnet.web.id]
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 443
    to_port    = 443
    cidr_block = "0.0.0.0/0"
  }
  ingress {
    rule_no    = 110
    action     = "allow"
    protocol   = "tcp"
    from_port  = 1024
    to_port    = 65535
    cidr_block = "0.0.0.0/0"
  }
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    cidr_block = "0.0.0.0/0"
  }
}

resource "aws_subnet" "app" {
  vpc_id            = data.aws_vpc.shared.id
  cidr_block        = "10.20.20.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = data.aws_route_table.private.id
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = data.aws_vpc.shared.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port       = 22
    to_port         = 22
    protocol        = "tcp"
    prefix_list_ids = [data.aws_ec2_managed_prefix_list.office.id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = data.aws_vpc.shared.id
  ingress {
    from_port       = 22
    to_port         = 22
    protocol        = "tcp"
    security_groups = [data.aws_security_group.bastion.id]
  }
  ingress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.web.id]
  }
  # Out to S3 only, by the service's prefix list.
  egress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [data.aws_prefix_list.s3.id]
  }
}

resource "aws_instance" "web" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.web.id
  vpc_security_group_ids = [aws_security_group.web.id]
}

resource "aws_instance" "app" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

# The VPC's main route table, read too: a subnet with no association of its own uses it.
data "aws_route_table" "main" {
  vpc_id = data.aws_vpc.shared.id
  filter {
    name   = "association.main"
    values = ["true"]
  }
}

resource "aws_subnet" "batch" {
  vpc_id            = data.aws_vpc.shared.id
  cidr_block        = "10.20.30.0/24"
  availability_zone = "us-east-1a"
}

# No security group named: the VPC's default group guards it, whose rules no data source
# reads.
resource "aws_instance" "batch" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.web.id
}
