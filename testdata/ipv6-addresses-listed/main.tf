# The ways a workload gets IPv6 addresses other than a count, in a subnet that does not
# assign IPv6 on launch (both families routed to the internet gateway), each behind a group
# that admits SSH from ::/0 only: an address computed from the subnet's block (known only
# after apply), an interface's `ipv6_address_list`, a delegated prefix on an interface and
# in a launch template, and a launch template's listed address. `aws_instance.none` asks for
# nothing and has no IPv6.

resource "aws_vpc" "main" {
  cidr_block                       = "10.83.0.0/16"
  assign_generated_ipv6_cidr_block = true
}

resource "aws_internet_gateway" "igw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  availability_zone = "us-east-1a"
  cidr_block        = "10.83.1.0/24"
  ipv6_cidr_block   = cidrsubnet(aws_vpc.main.ipv6_cidr_block, 8, 1)
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.igw.id
  }
  route {
    ipv6_cidr_block = "::/0"
    gateway_id      = aws_internet_gateway.igw.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "ssh6" {
  name   = "ssh6"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port        = 22
    to_port          = 22
    protocol         = "tcp"
    ipv6_cidr_blocks = ["::/0"]
  }
  egress {
    from_port        = 0
    to_port          = 0
    protocol         = "-1"
    ipv6_cidr_blocks = ["::/0"]
  }
}

resource "aws_instance" "pinned" {
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public.id
  ipv6_addresses         = [cidrhost(aws_subnet.public.ipv6_cidr_block, 10)]
  vpc_security_group_ids = [aws_security_group.ssh6.id]
}

resource "aws_instance" "none" {
  ami                    = "ami-12c6146b"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.public.id
  vpc_security_group_ids = [aws_security_group.ssh6.id]
}

resource "aws_network_interface" "listed" {
  subnet_id                 = aws_subnet.public.id
  ipv6_address_list_enabled = true
  ipv6_address_list         = [cidrhost(aws_subnet.public.ipv6_cidr_block, 30)]
  security_groups           = [aws_security_group.ssh6.id]
}

resource "aws_network_interface" "prefix" {
  subnet_id         = aws_subnet.public.id
  ipv6_prefix_count = 1
  security_groups   = [aws_security_group.ssh6.id]
}

resource "aws_launch_template" "prefix" {
  image_id      = "ami-12c6146b"
  instance_type = "t3.micro"
  network_interfaces {
    device_index      = 0
    ipv6_prefix_count = 1
    security_groups   = [aws_security_group.ssh6.id]
  }
}

resource "aws_autoscaling_group" "prefix" {
  min_size            = 1
  max_size            = 1
  vpc_zone_identifier = [aws_subnet.public.id]
  launch_template {
    id      = aws_launch_template.prefix.id
    version = "$Latest"
  }
}

resource "aws_launch_template" "listed" {
  image_id      = "ami-12c6146b"
  instance_type = "t3.micro"
  network_interfaces {
    device_index                = 0
    associate_public_ip_address = false
    ipv6_addresses              = ["2600:1f18:1234:5601::40"]
    security_groups             = [aws_security_group.ssh6.id]
  }
}

resource "aws_autoscaling_group" "listed" {
  min_size            = 1
  max_size            = 1
  vpc_zone_identifier = [aws_subnet.public.id]
  launch_template {
    id      = aws_launch_template.listed.id
    version = "$Latest"
  }
}
