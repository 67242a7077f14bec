# Applied first: an application stack whose instances run in subnets another stack owns.
# They name no subnet, so EC2 puts them in the Region's default subnets; after the apply
# their known `subnet_id` is a subnet this plan does not show.

resource "aws_security_group" "app" {
  name        = "app"
  description = "app servers: HTTPS from the private network only"

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "admin" {
  name        = "admin"
  description = "SSH from anywhere"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_instance" "ops" {
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [aws_security_group.admin.id]
}
