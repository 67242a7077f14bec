# The plan: over the base (base/main.tf, applied first), it opens TCP 8080 of the app
# servers to the whole internet, and takes the world-open SSH off the admin group. Both
# instances sit in subnets outside this plan.

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

resource "aws_vpc_security_group_ingress_rule" "app_http" {
  security_group_id = aws_security_group.app.id
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 8080
  to_port           = 8080
  ip_protocol       = "tcp"
}

resource "aws_security_group" "admin" {
  name        = "admin"
  description = "SSH from anywhere"
  ingress     = []
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
