# A VPC from a module called with for_each, whose default security group the root takes
# over through `module.net[each.key].vpc_id`, which terraform's plan JSON lists as
# `module.net` and `each.key` only. The module has two outputs naming a VPC, so which
# VPC's default group it is cannot be told: the default group of every VPC without one of
# its own may have its rules (SSH from 10.0.0.0/8, nothing out) instead of AWS's.

module "net" {
  source   = "./modules/net"
  for_each = { a = "10.1.0.0/16" }

  cidr = each.value
}

resource "aws_default_security_group" "lockdown" {
  for_each = { a = "10.1.0.0/16" }

  vpc_id = module.net[each.key].vpc_id

  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["10.0.0.0/8"]
  }
}

# A VPC of the root whose instances have no security group: the VPC's default group.
resource "aws_vpc" "root" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "root" {
  vpc_id            = aws_vpc.root.id
  cidr_block        = "10.2.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_instance" "root" {
  for_each = toset(["a", "b"])

  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.root.id
}

# A VPC whose default group the root manages by reference, with AWS's rules: it stays
# decided.
resource "aws_vpc" "managed" {
  cidr_block = "10.3.0.0/16"
}

resource "aws_default_security_group" "managed" {
  vpc_id = aws_vpc.managed.id

  ingress {
    protocol  = -1
    self      = true
    from_port = 0
    to_port   = 0
  }

  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_subnet" "managed" {
  vpc_id            = aws_vpc.managed.id
  cidr_block        = "10.3.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_instance" "managed" {
  for_each = toset(["a", "b"])

  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.managed.id
}

# An instance of the root VPC with a group of its own, which lets everything out: the
# default group admits it on neither AWS's rules (members only) nor lockdown's (SSH) for
# HTTPS, on lockdown's only for SSH.
resource "aws_security_group" "web" {
  vpc_id = aws_vpc.root.id

  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "web" {
  ami                    = "ami-0abcdef1234567890"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.root.id
  vpc_security_group_ids = [aws_security_group.web.id]
}
