# An application stack that names its subnets by ID (variables, remote state outputs,
# literals): the plan shows no subnet. Instances behind a group that admits SSH from the
# whole internet: one in a subnet given by ID, one that names no subnet (EC2 launches it
# in a default subnet of the default VPC), one in a subnet given by ID that asks for no
# public IPv4 address, and one behind a group that admits HTTPS only.

variable "app_subnet_id" {
  type    = string
  default = "subnet-0123456789abcdef0"
}

resource "aws_security_group" "ssh" {
  name   = "ssh"
  vpc_id = "vpc-0123456789abcdef0"
  ingress {
    from_port   = 22
    to_port     = 22
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

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = "vpc-0123456789abcdef0"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "bastion" {
  ami                         = "ami-12c6146b"
  instance_type               = "t3.micro"
  subnet_id                   = var.app_subnet_id
  associate_public_ip_address = true
  vpc_security_group_ids      = [aws_security_group.ssh.id]
}

resource "aws_instance" "legacy" {
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [aws_security_group.ssh.id]
}

resource "aws_instance" "internal" {
  ami                         = "ami-12c6146b"
  instance_type               = "t3.micro"
  subnet_id                   = var.app_subnet_id
  associate_public_ip_address = false
  vpc_security_group_ids      = [aws_security_group.ssh.id]
}

resource "aws_instance" "web" {
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  subnet_id              = var.app_subnet_id
  vpc_security_group_ids = [aws_security_group.web.id]
}

# Rules added to groups this plan does not hold, named by ID: SSH from the world into the
# group of `aws_instance.ops` (a member, listed by ID), RDP from the world into a group no
# instance of the plan lists, and SSH from the VPC only.
resource "aws_security_group_rule" "debug_ssh" {
  type              = "ingress"
  security_group_id = "sg-0123456789abcdef0"
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_vpc_security_group_ingress_rule" "rdp" {
  security_group_id = "sg-0fedcba9876543210"
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "ssh_internal" {
  security_group_id = "sg-0aaaaaaaaaaaaaaaa"
  ip_protocol       = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_ipv4         = "10.0.0.0/8"
}

resource "aws_instance" "ops" {
  ami                         = "ami-12c6146b"
  instance_type               = "t3.micro"
  subnet_id                   = var.app_subnet_id
  associate_public_ip_address = true
  vpc_security_group_ids      = ["sg-0123456789abcdef0"]
}

# Databases in a DB subnet group another configuration manages (by name), behind a group
# that admits PostgreSQL from the whole internet: one publicly accessible, one not.
resource "aws_security_group" "db" {
  name   = "db"
  vpc_id = "vpc-0123456789abcdef0"
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "public" {
  identifier             = "public"
  engine                 = "postgres"
  instance_class         = "db.t3.micro"
  allocated_storage      = 20
  username               = "app"
  password               = "not-a-real-password"
  db_subnet_group_name   = "shared-db"
  publicly_accessible    = true
  vpc_security_group_ids = [aws_security_group.db.id]
  skip_final_snapshot    = true
}

resource "aws_db_instance" "private" {
  identifier             = "private"
  engine                 = "postgres"
  instance_class         = "db.t3.micro"
  allocated_storage      = 20
  username               = "app"
  password               = "not-a-real-password"
  db_subnet_group_name   = "shared-db"
  vpc_security_group_ids = [aws_security_group.db.id]
  skip_final_snapshot    = true
}
