# The Region's default VPC and two of its default subnets, adopted into Terraform
# (create-only plan: every ID, CIDR and the VPC of each subnet are known only after apply).
# AWS made the VPC with an internet gateway and a main route table that sends 0.0.0.0/0 to
# it; neither is in the plan. The plan adds an S3 gateway endpoint to that main table and a
# rule denying telnet to the default NACL, both by reference to the VPC's attributes.

resource "aws_default_vpc" "default" {}

resource "aws_default_subnet" "a" {
  availability_zone = "us-east-1a"
}

resource "aws_default_subnet" "b" {
  availability_zone = "us-east-1b"
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_default_vpc.default.id
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = [aws_default_vpc.default.main_route_table_id]
}

resource "aws_network_acl_rule" "deny_telnet" {
  network_acl_id = aws_default_vpc.default.default_network_acl_id
  rule_number    = 60
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 23
  to_port        = 23
}

# Wrong: SSH and telnet open to the world on an instance in a default subnet, which is
# public. Telnet is dropped by the default NACL's rule 60.
resource "aws_security_group" "admin" {
  vpc_id = aws_default_vpc.default.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 23
    to_port     = 23
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "web" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_default_subnet.a.id
  vpc_security_group_ids = [aws_security_group.admin.id]
}

# Wrong: RDP opened to the world in the VPC's default security group, which guards every
# instance that names no group of its own.
resource "aws_vpc_security_group_ingress_rule" "rdp" {
  security_group_id = aws_default_vpc.default.default_security_group_id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 3389
  to_port           = 3389
  ip_protocol       = "tcp"
}

resource "aws_instance" "legacy" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  subnet_id     = aws_default_subnet.b.id
}
