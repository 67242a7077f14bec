resource "aws_vpc" "main" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.50.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.50.11.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

# The private subnet's way out: the NAT instance, named by the instance (its primary
# network interface, which the plan creates first).
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block           = "0.0.0.0/0"
    network_interface_id = aws_instance.nat.primary_network_interface_id
  }
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "nat" {
  name   = "nat"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "ssh" {
  name   = "ssh"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# A NAT instance launched on a network interface of its own: the interface carries the
# subnet, the group, the Elastic IP and source/destination checking off.
resource "aws_network_interface" "nat" {
  subnet_id         = aws_subnet.public.id
  security_groups   = [aws_security_group.nat.id]
  source_dest_check = false
}

resource "aws_eip" "nat" {
  domain            = "vpc"
  network_interface = aws_network_interface.nat.id
}

resource "aws_instance" "nat" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  network_interface {
    network_interface_id = aws_network_interface.nat.id
    device_index         = 0
  }
}

# A jump host the same way, its interface's group open to SSH from anywhere.
resource "aws_network_interface" "jump" {
  subnet_id       = aws_subnet.public.id
  security_groups = [aws_security_group.ssh.id]
}

resource "aws_eip" "jump" {
  domain            = "vpc"
  network_interface = aws_network_interface.jump.id
}

resource "aws_instance" "jump" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  network_interface {
    network_interface_id = aws_network_interface.jump.id
    device_index         = 0
  }
}

# A second interface for the jump host, in the private subnet, attached after launch.
resource "aws_network_interface" "jump_private" {
  subnet_id       = aws_subnet.private.id
  security_groups = [aws_security_group.nat.id]
}

resource "aws_network_interface_attachment" "jump_private" {
  instance_id          = aws_instance.jump.id
  network_interface_id = aws_network_interface.jump_private.id
  device_index         = 1
}
