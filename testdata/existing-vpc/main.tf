# Subnets added to VPCs this configuration does not manage (create-only plan): one by a
# literal VPC ID (as a network team hands it over), and a default subnet of the Region's
# default VPC, which is not in the plan either. Whether those VPCs have an internet gateway
# is not in the plan, so nothing about the internet can be decided.

resource "aws_subnet" "web" {
  vpc_id                  = "vpc-0a1b2c3d4e5f60718"
  cidr_block              = "10.0.1.0/24"
  availability_zone       = "us-east-1a"
  map_public_ip_on_launch = true
}

resource "aws_route_table" "web" {
  vpc_id = "vpc-0a1b2c3d4e5f60718"
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = "igw-0a1b2c3d4e5f60718"
  }
}

resource "aws_route_table_association" "web" {
  subnet_id      = aws_subnet.web.id
  route_table_id = aws_route_table.web.id
}

resource "aws_default_subnet" "c" {
  availability_zone = "us-east-1c"
}

resource "aws_security_group" "ssh" {
  vpc_id = "vpc-0a1b2c3d4e5f60718"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "web" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.web.id
  vpc_security_group_ids = [aws_security_group.ssh.id]
}
