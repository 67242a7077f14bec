# The tutorial shape: an instance in the default VPC names its security group by name
# (`security_groups`, which takes names), and the group admits SSH from the whole internet.

resource "aws_default_vpc" "default" {}

resource "aws_default_subnet" "a" {
  availability_zone = "us-east-1a"
}

resource "aws_security_group" "ssh" {
  name   = "ssh"
  vpc_id = aws_default_vpc.default.id

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

resource "aws_instance" "web" {
  ami             = "ami-12345678"
  instance_type   = "t3.micro"
  subnet_id       = aws_default_subnet.a.id
  security_groups = [aws_security_group.ssh.name]
}

# The app's group admits 8080 from the web group, named by its name (which works in a
# default VPC).
resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_default_vpc.default.id

  ingress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.ssh.name]
  }
}

resource "aws_instance" "app" {
  ami             = "ami-12345678"
  instance_type   = "t3.micro"
  subnet_id       = aws_default_subnet.a.id
  security_groups = [aws_security_group.app.name]
}
