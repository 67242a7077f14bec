# NAT instances instead of NAT gateways, one per AZ.
#
#   nat_a  aws_instance with source_dest_check = false, associate_public_ip_address = true and an
#          Elastic IP via aws_eip_association (instance_id). private_a's 0.0.0.0/0 targets the
#          instance's primary network interface. Its SG admits SSH from 0.0.0.0/0
#          -> TFVPC204 (NAT instance as open bastion), and TFVPC203 (admin port open on a
#          public, internet-reachable instance)
#   nat_b  built from an aws_network_interface (source_dest_check = false) with an EIP
#          associated to the interface; private_b's 0.0.0.0/0 targets that interface.
#          Its SG admits SSH only from the VPC -> near miss for TFVPC204/203.
# Private subnets reach the internet through the NAT instances (IPv4 egress only).

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public_a" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.0.0/24"
}

resource "aws_subnet" "public_b" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1b"
  cidr_block        = "10.0.1.0/24"
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.0.10.0/24"
}

resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1b"
  cidr_block        = "10.0.11.0/24"
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public_a" {
  subnet_id      = aws_subnet.public_a.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table_association" "public_b" {
  subnet_id      = aws_subnet.public_b.id
  route_table_id = aws_route_table.public.id
}

# --- NAT instance A: SSH open to the internet --------------------------------------------

resource "aws_security_group" "nat_a" {
  name        = "nat-a"
  description = "NAT for private_a"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "everything from private_a, to be forwarded"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [aws_subnet.private_a.cidr_block]
  }

  # WRONG: the NAT instance doubles as a bastion open to the world (TFVPC204).
  ingress {
    description = "SSH"
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

resource "aws_instance" "nat_a" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.nano"
  subnet_id                   = aws_subnet.public_a.id
  associate_public_ip_address = true
  source_dest_check           = false
  vpc_security_group_ids      = [aws_security_group.nat_a.id]
  tags                        = { Name = "nat-a" }
}

resource "aws_eip" "nat_a" {
  domain = "vpc"
}

resource "aws_eip_association" "nat_a" {
  instance_id   = aws_instance.nat_a.id
  allocation_id = aws_eip.nat_a.id
}

resource "aws_route_table" "private_a" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block           = "0.0.0.0/0"
    network_interface_id = aws_instance.nat_a.primary_network_interface_id
  }
}

resource "aws_route_table_association" "private_a" {
  subnet_id      = aws_subnet.private_a.id
  route_table_id = aws_route_table.private_a.id
}

# --- NAT instance B: explicit network interface, SSH from the VPC only --------------------

resource "aws_security_group" "nat_b" {
  name        = "nat-b"
  description = "NAT for private_b"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "everything from private_b, to be forwarded"
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [aws_subnet.private_b.cidr_block]
  }

  ingress {
    description = "SSH from inside the VPC"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_network_interface" "nat_b" {
  subnet_id         = aws_subnet.public_b.id
  security_groups   = [aws_security_group.nat_b.id]
  source_dest_check = false
  tags              = { Name = "nat-b" }
}

resource "aws_instance" "nat_b" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.nano"
  tags          = { Name = "nat-b" }

  network_interface {
    network_interface_id = aws_network_interface.nat_b.id
    device_index         = 0
  }
}

resource "aws_eip" "nat_b" {
  domain = "vpc"
}

resource "aws_eip_association" "nat_b" {
  network_interface_id = aws_network_interface.nat_b.id
  allocation_id        = aws_eip.nat_b.id
}

resource "aws_route_table" "private_b" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route" "private_b_default" {
  route_table_id         = aws_route_table.private_b.id
  destination_cidr_block = "0.0.0.0/0"
  network_interface_id   = aws_network_interface.nat_b.id
}

resource "aws_route_table_association" "private_b" {
  subnet_id      = aws_subnet.private_b.id
  route_table_id = aws_route_table.private_b.id
}
