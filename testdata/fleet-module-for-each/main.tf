# An Auto Scaling group whose subnet comes from a module called with for_each, through
# `module.net[each.key].public_subnet_id`, which terraform's plan JSON lists as `module.net`
# and `each.key` only. The module has two outputs naming subnets (public and private), so
# which subnet the group launches in is not known at plan time. Its launch template gives
# its instances a public IPv4 address and a group that opens SSH to the world.

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_default_route_table" "main" {
  default_route_table_id = aws_vpc.main.default_route_table_id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

module "net" {
  source   = "./modules/net"
  for_each = { a = "10.0.0.0/16" }

  cidr   = each.value
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "bastion" {
  vpc_id = aws_vpc.main.id

  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_launch_template" "bastion" {
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.micro"

  network_interfaces {
    associate_public_ip_address = true
    security_groups             = [aws_security_group.bastion.id]
  }
}

resource "aws_autoscaling_group" "bastion" {
  for_each = { a = "a" }

  min_size            = 1
  max_size            = 1
  vpc_zone_identifier = [module.net[each.key].public_subnet_id]

  launch_template {
    id      = aws_launch_template.bastion.id
    version = "$Latest"
  }
}
